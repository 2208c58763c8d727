package org.seggateway.gateway.retention;

import static org.seggateway.gateway.retention.RetentionLog.LOG;

import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.nio.file.Files;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.JdbiException;
import org.seggateway.gateway.audit.AuditEvent;
import org.seggateway.gateway.audit.AuditTrail;
import org.seggateway.gateway.config.GatewayConfig;
import org.seggateway.gateway.database.Transactions;
import org.seggateway.gateway.ingest.InstanceRepository;
import org.seggateway.gateway.ingest.SeriesRepository;
import org.seggateway.gateway.ingest.SeriesRepository.SeriesUids;
import org.seggateway.gateway.jobs.JobAudit;

/**
 * Deletes the spooled instance files of finished series after {@code seg-gateway.retention.instances}: series complete
 * for that long, none of whose jobs waits or runs and none of whose SEGs waits for delivery. The instance rows get
 * {@code purged_at}; rows, SEG files and the audit trail stay, and reprocessing retrieves such a series from the PACS.
 * Each purged series is audited ({@code spool.purged}). A series that receives an instance meanwhile is left alone.
 */
@ApplicationScoped
public class SpoolRetention {
    private static final int BATCH = 100;

    private final Transactions transactions;
    private final SeriesRepository seriesRows;
    private final InstanceRepository instances;
    private final AuditTrail audit;
    private final GatewayConfig config;

    SpoolRetention(Transactions transactions, SeriesRepository seriesRows, InstanceRepository instances, AuditTrail audit,
                   GatewayConfig config) {
        this.transactions = transactions;
        this.seriesRows = seriesRows;
        this.instances = instances;
        this.audit = audit;
        this.config = config;
    }

    @Scheduled(every = "${seg-gateway.retention.check-every:1h}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void scheduled() {
        config.retention().instances().ifPresent(keep -> {
            try {
                int purged = purgeCompletedBefore(Instant.now().minus(keep));
                if (purged > 0) LOG.purged(purged, keep);
            } catch (SQLException | JdbiException e) {
                LOG.passFailed(e.getMessage());
            }
        });
    }

    /** Purges every due series completed before {@code cutoff}; returns how many. */
    public int purgeCompletedBefore(Instant cutoff) throws SQLException {
        int purged = 0;
        while (true) {
            List<Long> due = seriesRows.dueForPurge(cutoff, BATCH);
            for (long seriesId : due) if (purge(seriesId, cutoff)) purged++;
            if (due.size() < BATCH) return purged;
        }
    }

    /** Deletes one series' files under its row lock (an instance arriving now waits, then reopens the series). */
    private boolean purge(long seriesId, Instant cutoff) throws SQLException {
        return transactions.inTransaction(h -> {
            Optional<SeriesUids> locked = seriesRows.lockDueForPurge(h, seriesId, cutoff);
            if (locked.isEmpty()) return false;
            int files = 0, missing = 0;
            long bytes = 0;
            List<Long> purged = new ArrayList<>();
            for (InstanceRepository.SpooledFile file : instances.unpurgedOf(h, seriesId)) {
                try {
                    if (Files.deleteIfExists(file.path())) {
                        files++;
                        bytes += file.sizeBytes();
                    } else {
                        missing++;
                    }
                    purged.add(file.id());
                } catch (IOException e) {
                    LOG.cannotDelete(file.path(), e.getMessage());
                }
            }
            instances.markPurged(h, purged);
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("seriesInstanceUid", locked.get().seriesUid());
            details.put("filesDeleted", files);
            details.put("bytes", bytes);
            if (missing > 0) details.put("alreadyMissing", missing);
            audit.append(h, new AuditEvent("spool.purged", JobAudit.ACTOR, null, locked.get().studyUid(), "purged", details));
            return true;
        });
    }
}
