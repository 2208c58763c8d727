package org.seggateway.gateway.atna;

import static org.seggateway.gateway.atna.AtnaLog.LOG;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.IOException;
import java.security.GeneralSecurityException;
import org.seggateway.gateway.config.GatewayConfig;
import org.seggateway.gateway.database.Transactions;

/**
 * Sends the audit trail to a syslog receiver (an IHE ATNA audit record repository), one DICOM audit message per
 * {@code audit_events} row, in id order, on a thread of its own ({@link AuditExportLoop}): a receiver that is down
 * delays the export, never the pipeline. The position (the last row sent) is stored after each message, so a restart
 * repeats at most the message that was in flight (at least once). A failed send is retried with exponential backoff
 * ({@code initial-backoff} doubled up to {@code max-backoff}); the rows waiting are the metric
 * {@code seggateway_audit_export_backlog}. Of several gateway instances on one database, one exports at a time
 * ({@link ExportLock}); the others wait. This class starts and stops the export.
 */
@ApplicationScoped
public class AuditExporter {

    private final Transactions transactions;
    private final GatewayConfig config;
    private final MeterRegistry registry;
    private volatile AuditExportLoop loop;
    private Thread thread;

    AuditExporter(Transactions transactions, GatewayConfig config, MeterRegistry registry) {
        this.transactions = transactions;
        this.config = config;
        this.registry = registry;
    }

    void start(@Observes StartupEvent event) throws IOException, GeneralSecurityException {
        GatewayConfig.Syslog settings = config.audit().syslog();
        if (!settings.enabled()) {
            LOG.exportDisabled();
            return;
        }
        LocalNode node = new LocalNode(config.scp().aeTitle(), settings.auditSourceId().orElseGet(LocalNode::machineName),
                ProcessHandle.current().pid());
        AuditSyslogFormat format = new AuditSyslogFormat(node, settings.appName(), settings.facility(), settings.enterpriseNumber());
        AuditRowSender sender = new AuditRowSender(format, SyslogTransports.open(settings));
        loop = new AuditExportLoop(transactions, settings, sender, new ExportMetrics(registry, transactions, this::position));
        thread = Thread.ofPlatform().name("audit-export").daemon().start(loop);
    }

    void stop(@Observes ShutdownEvent event) {
        if (thread == null) return;
        loop.stop();
        thread.interrupt();
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The id of the last row sent, or -1 before the export has read its position. */
    public long position() {
        AuditExportLoop running = loop;
        return running == null ? -1 : running.position();
    }
}
