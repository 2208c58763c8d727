package org.seggateway.gateway.atna;

import static org.seggateway.gateway.atna.AtnaLog.LOG;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.JdbiException;
import org.seggateway.gateway.audit.AuditEntry;
import org.seggateway.gateway.audit.AuditQueries;
import org.seggateway.gateway.config.GatewayConfig;
import org.seggateway.gateway.database.Transactions;

/**
 * The export, run on a thread of its own until {@link #stop()}: takes the {@link ExportLock}, reads the
 * {@link ExportPosition}, then sends the rows after it in id order, recording the position after each row sent, so a
 * restart repeats at most the message that was in flight. A failed send is tried again after a {@link SendBackoff}; a
 * database failure starts over after a pause. The handle that holds the lock is in auto-commit: each read and each
 * position saved is a statement of its own, and no transaction is open while a message is sent.
 */
final class AuditExportLoop implements Runnable {
    static final String TARGET = "syslog";
    private static final int BATCH = 200;
    private static final Duration RETRY_DATABASE = Duration.ofSeconds(5);

    private final Transactions transactions;
    private final GatewayConfig.Syslog settings;
    private final AuditRowSender sender;
    private final ExportMetrics metrics;
    private volatile boolean running = true;
    private volatile long position = -1;

    AuditExportLoop(Transactions transactions, GatewayConfig.Syslog settings, AuditRowSender sender, ExportMetrics metrics) {
        this.transactions = transactions;
        this.settings = settings;
        this.sender = sender;
        this.metrics = metrics;
    }

    /** The id of the last row sent, or -1 before the export has read its position. */
    long position() {
        return position;
    }

    /** Ends the loop at its next step; the caller interrupts the thread to cut a wait short. */
    void stop() {
        running = false;
    }

    @Override
    public void run() {
        boolean toldLocked = false;
        while (running) {
            try (Handle session = transactions.open()) {
                if (!ExportLock.tryLock(session)) {
                    if (!toldLocked) LOG.otherInstanceExports();
                    toldLocked = true;
                    sleep(RETRY_DATABASE.multipliedBy(6));
                    continue;
                }
                toldLocked = false;
                try {
                    position = ExportPosition.load(session, TARGET);
                    LOG.exporting(settings.protocol().name().toLowerCase(Locale.ROOT), settings.host(), settings.port(), position);
                    export(session);
                } finally {
                    ExportLock.unlock(session);
                }
            } catch (JdbiException e) {
                if (running) {
                    LOG.pausedDatabase(e.getMessage(), RETRY_DATABASE.toSeconds());
                    sleep(RETRY_DATABASE);
                }
            }
        }
        sender.close();
    }

    private void export(Handle session) {
        SendBackoff backoff = new SendBackoff(settings.initialBackoff(), settings.maxBackoff());
        while (running) {
            List<AuditEntry> rows = AuditQueries.after(session, position, BATCH);
            if (rows.isEmpty()) {
                sleep(settings.pollEvery());
                continue;
            }
            for (AuditEntry row : rows) {
                if (!running) return;
                try {
                    sender.send(row);
                } catch (IOException e) {
                    metrics.failed();
                    Duration wait = backoff.failed();
                    if (backoff.firstFailure()) LOG.sendFailed(row.id(), settings.host(), settings.port(), e.toString(), wait.toMillis());
                    else LOG.sendStillFailing(row.id(), settings.host(), settings.port(), e.toString(), wait.toMillis());
                    sleep(wait);
                    break;
                }
                if (backoff.succeeded())
                    LOG.resumed(settings.host(), settings.port(), row.id());
                ExportPosition.save(session, TARGET, row.id(), row.hash());
                position = row.id();
                metrics.sent();
            }
        }
    }

    private void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            // stop() clears running before the interrupt: the loops end
        }
    }
}
