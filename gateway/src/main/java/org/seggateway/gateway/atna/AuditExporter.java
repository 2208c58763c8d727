package org.seggateway.gateway.atna;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.jboss.logging.Logger;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.JdbiException;
import org.seggateway.gateway.audit.AuditEntry;
import org.seggateway.gateway.audit.AuditQueries;
import org.seggateway.gateway.config.GatewayConfig;
import org.seggateway.gateway.database.Transactions;

/**
 * Sends the audit trail to a syslog receiver (an IHE ATNA audit record repository), one DICOM audit message per
 * {@code audit_events} row, in id order, on a thread of its own: a receiver that is down delays the export, never the
 * pipeline. The position (the last row sent) is stored after each message, so a restart repeats at most the message
 * that was in flight (at least once). A failed send is retried with exponential backoff ({@code initial-backoff} doubled
 * up to {@code max-backoff}); the rows waiting are the metric {@code seggateway_audit_export_backlog}. Of several
 * gateway instances on one database, one exports at a time (a PostgreSQL session advisory lock); the others wait.
 */
@ApplicationScoped
public class AuditExporter {
    private static final Logger LOG = Logger.getLogger(AuditExporter.class);
    static final String TARGET = "syslog";
    /** Session advisory lock key of the export ("atna" in ASCII). */
    static final long EXPORT_LOCK = 0x61746e61L;
    private static final int BATCH = 200;
    private static final Duration RETRY_DATABASE = Duration.ofSeconds(5);
    private static final long BACKLOG_MAX_AGE_NANOS = 1_000_000_000L;

    private final Transactions transactions;
    private final GatewayConfig.Syslog settings;
    private final GatewayConfig config;
    private final MeterRegistry registry;
    private volatile boolean running;
    private volatile long position = -1;
    private Thread thread;
    private SyslogTransport transport;
    private AuditSyslogFormat format;
    private Counter sent, failures;
    private double backlog = Double.NaN;
    private long backlogAt;

    AuditExporter(Transactions transactions, GatewayConfig config, MeterRegistry registry) {
        this.transactions = transactions;
        this.config = config;
        this.settings = config.audit().syslog();
        this.registry = registry;
    }

    void start(@Observes StartupEvent event) throws IOException, GeneralSecurityException {
        if (!settings.enabled()) {
            LOG.debug("audit export to syslog disabled (seg-gateway.audit.syslog.enabled=false)");
            return;
        }
        LocalNode node = new LocalNode(config.scp().aeTitle(), settings.auditSourceId().orElseGet(LocalNode::machineName),
                ProcessHandle.current().pid());
        format = new AuditSyslogFormat(node, settings.appName(), settings.facility(), settings.enterpriseNumber());
        transport = switch (settings.protocol()) {
            case TCP -> new TcpSyslogTransport(settings.host(), settings.port(), settings.timeout(), null);
            case TLS -> new TcpSyslogTransport(settings.host(), settings.port(), settings.timeout(), SyslogTls.socketFactory(settings));
            case UDP -> new UdpSyslogTransport(settings.host(), settings.port());
        };
        sent = Counter.builder("seggateway.audit.export.sent").description("Audit rows sent to syslog").register(registry);
        failures = Counter.builder("seggateway.audit.export.failures").description("Failed sends to syslog (each retried)")
                .register(registry);
        Gauge.builder("seggateway.audit.export.backlog", this, AuditExporter::backlog)
                .description("Audit rows not yet sent to syslog").register(registry);
        running = true;
        thread = Thread.ofPlatform().name("audit-export").daemon().start(this::loop);
    }

    void stop(@Observes ShutdownEvent event) {
        if (thread == null) return;
        running = false;
        thread.interrupt();
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The id of the last row sent, or -1 before the export has read its position. */
    public long position() {
        return position;
    }

    private void loop() {
        boolean toldLocked = false;
        while (running) {
            try (Handle h = transactions.open()) { // auto-commit: the session holds the lock, no transaction
                if (!tryLock(h)) {
                    if (!toldLocked) LOG.info("another gateway instance exports the audit trail; this one waits its turn");
                    toldLocked = true;
                    sleep(RETRY_DATABASE.multipliedBy(6));
                    continue;
                }
                toldLocked = false;
                try {
                    position = ExportPosition.load(h, TARGET);
                    LOG.infof("exporting the audit trail to syslog %s://%s:%d after row %d",
                            settings.protocol().name().toLowerCase(java.util.Locale.ROOT), settings.host(), settings.port(), position);
                    export(h);
                } finally {
                    unlock(h); // the pool keeps the session open: the lock would outlive our use of it
                }
            } catch (JdbiException e) {
                if (running) {
                    LOG.warnf("audit export paused: database: %s; trying again in %d s", e.getMessage(), RETRY_DATABASE.toSeconds());
                    sleep(RETRY_DATABASE);
                }
            }
        }
        transport.close();
    }

    private void export(Handle h) {
        Duration backoff = null;
        while (running) {
            List<AuditEntry> rows = AuditQueries.after(h, position, BATCH);
            if (rows.isEmpty()) {
                sleep(settings.pollEvery());
                continue;
            }
            for (AuditEntry row : rows) {
                if (!running) return;
                try {
                    transport.send(format.message(row, Instant.now()));
                } catch (IOException e) {
                    failures.increment();
                    backoff = backoff == null ? settings.initialBackoff() : min(backoff.multipliedBy(2), settings.maxBackoff());
                    String why = "audit row " + row.id() + " not sent to syslog " + settings.host() + ":" + settings.port() + ": " + e
                            + "; trying again in " + backoff.toMillis() + " ms";
                    if (backoff.equals(settings.initialBackoff())) LOG.warn(why);
                    else LOG.debug(why);
                    sleep(backoff);
                    break;
                }
                if (backoff != null) {
                    LOG.infof("syslog %s:%d reachable again: audit export resumed at row %d", settings.host(), settings.port(), row.id());
                    backoff = null;
                }
                ExportPosition.save(h, TARGET, row.id(), row.hash());
                position = row.id();
                sent.increment();
            }
        }
    }

    private static boolean tryLock(Handle h) {
        return h.createQuery("select pg_try_advisory_lock(:key)").bind("key", EXPORT_LOCK).mapTo(boolean.class).one();
    }

    private static void unlock(Handle h) {
        try {
            h.createQuery("select pg_advisory_unlock(:key)").bind("key", EXPORT_LOCK).mapTo(boolean.class).one();
        } catch (JdbiException e) {
            LOG.debugf("export lock not released (%s): a broken session releases it itself", e.getMessage());
        }
    }

    private synchronized double backlog() {
        long from = position;
        if (from < 0) return Double.NaN;
        if (System.nanoTime() - backlogAt > BACKLOG_MAX_AGE_NANOS) {
            try {
                backlog = transactions.withHandle(h -> ExportPosition.backlog(h, from));
                backlogAt = System.nanoTime();
            } catch (JdbiException e) {
                LOG.warnf("audit export backlog not counted: %s", e.getMessage());
                return Double.NaN;
            }
        }
        return backlog;
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    private void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            // stop() interrupts after clearing running: the loops end
        }
    }
}
