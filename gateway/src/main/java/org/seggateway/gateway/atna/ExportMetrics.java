package org.seggateway.gateway.atna;

import static org.seggateway.gateway.atna.AtnaLog.LOG;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.function.LongSupplier;
import org.jdbi.v3.core.JdbiException;
import org.seggateway.gateway.database.Transactions;

/**
 * The export's metrics: rows sent ({@code seggateway_audit_export_sent_total}), failed sends
 * ({@code seggateway_audit_export_failures_total}) and the rows waiting ({@code seggateway_audit_export_backlog},
 * counted at most once a second when scraped).
 */
final class ExportMetrics {
    private static final long BACKLOG_MAX_AGE_NANOS = 1_000_000_000L;

    private final Transactions transactions;
    private final LongSupplier position;
    private final Counter sent, failures;
    private double backlog = Double.NaN;
    private long backlogAt;

    /** @param position the id of the last row sent, or -1 before the export has read it */
    ExportMetrics(MeterRegistry registry, Transactions transactions, LongSupplier position) {
        this.transactions = transactions;
        this.position = position;
        sent = Counter.builder("seggateway.audit.export.sent").description("Audit rows sent to syslog").register(registry);
        failures = Counter.builder("seggateway.audit.export.failures").description("Failed sends to syslog (each retried)")
                .register(registry);
        Gauge.builder("seggateway.audit.export.backlog", this, ExportMetrics::backlog)
                .description("Audit rows not yet sent to syslog").register(registry);
    }

    void sent() {
        sent.increment();
    }

    void failed() {
        failures.increment();
    }

    private synchronized double backlog() {
        long from = position.getAsLong();
        if (from < 0) return Double.NaN;
        if (System.nanoTime() - backlogAt > BACKLOG_MAX_AGE_NANOS) {
            try {
                backlog = transactions.withHandle(h -> ExportPosition.backlog(h, from));
                backlogAt = System.nanoTime();
            } catch (JdbiException e) {
                LOG.backlogNotCounted(e.getMessage());
                return Double.NaN;
            }
        }
        return backlog;
    }
}
