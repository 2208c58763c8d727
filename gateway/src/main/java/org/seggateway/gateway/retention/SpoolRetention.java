package org.seggateway.gateway.retention;

import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.jboss.logging.Logger;
import org.seggateway.gateway.audit.AuditEvent;
import org.seggateway.gateway.audit.AuditTrail;
import org.seggateway.gateway.config.GatewayConfig;
import org.seggateway.gateway.jobs.JobAudit;

/**
 * Deletes the spooled instance files of finished series after {@code seg-gateway.retention.instances}: series complete
 * for that long, none of whose jobs waits or runs and none of whose SEGs waits for delivery. The instance rows get
 * {@code purged_at}; rows, SEG files and the audit trail stay, and reprocessing retrieves such a series from the PACS.
 * Each purged series is audited ({@code spool.purged}). A series that receives an instance meanwhile is left alone.
 */
@ApplicationScoped
public class SpoolRetention {
    private static final Logger LOG = Logger.getLogger(SpoolRetention.class);
    private static final int BATCH = 100;

    private final DataSource dataSource;
    private final AuditTrail audit;
    private final GatewayConfig config;

    SpoolRetention(DataSource dataSource, AuditTrail audit, GatewayConfig config) {
        this.dataSource = dataSource;
        this.audit = audit;
        this.config = config;
    }

    @Scheduled(every = "${seg-gateway.retention.check-every:1h}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void scheduled() {
        config.retention().instances().ifPresent(keep -> {
            try {
                int purged = purgeCompletedBefore(Instant.now().minus(keep));
                if (purged > 0) LOG.infof("spool retention: instance files of %d series deleted (kept %s)", purged, keep);
            } catch (SQLException e) {
                LOG.errorf("spool retention pass failed: %s", e.getMessage());
            }
        });
    }

    /** Purges every due series completed before {@code cutoff}; returns how many. */
    public int purgeCompletedBefore(Instant cutoff) throws SQLException {
        int purged = 0;
        while (true) {
            List<Long> due = due(cutoff);
            for (long seriesId : due) if (purge(seriesId, cutoff)) purged++;
            if (due.size() < BATCH) return purged;
        }
    }

    private static final String DUE = """
            s.state = 'complete' and s.completed_at < ?
            and exists (select 1 from instances i where i.series_id = s.id and i.purged_at is null)
            and not exists (select 1 from jobs j where j.series_id = s.id and j.state in ('received', 'complete', 'queued', 'running'))
            and not exists (select 1 from deliveries d join results r on r.id = d.result_id join jobs j on j.id = r.job_id
                            where j.series_id = s.id and d.state = 'pending')""";

    private List<Long> due(Instant cutoff) throws SQLException {
        List<Long> ids = new ArrayList<>();
        try (Connection c = dataSource.getConnection();
             PreparedStatement s = c.prepareStatement("select s.id from series s where " + DUE + " order by s.completed_at limit ?")) {
            s.setTimestamp(1, Timestamp.from(cutoff));
            s.setInt(2, BATCH);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) ids.add(rs.getLong(1));
            }
        }
        return ids;
    }

    /** Deletes one series' files under its row lock (an instance arriving now waits, then reopens the series). */
    private boolean purge(long seriesId, Instant cutoff) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                String study, series;
                try (PreparedStatement s = c.prepareStatement(
                        "select s.study_instance_uid, s.series_instance_uid from series s where s.id = ? and " + DUE + " for update of s")) {
                    s.setLong(1, seriesId);
                    s.setTimestamp(2, Timestamp.from(cutoff));
                    try (ResultSet rs = s.executeQuery()) {
                        if (!rs.next()) {
                            c.rollback();
                            return false;
                        }
                        study = rs.getString(1);
                        series = rs.getString(2);
                    }
                }
                int files = 0, missing = 0;
                long bytes = 0;
                List<Long> purged = new ArrayList<>();
                try (PreparedStatement s = c.prepareStatement(
                        "select id, spool_path, size_bytes from instances where series_id = ? and purged_at is null")) {
                    s.setLong(1, seriesId);
                    try (ResultSet rs = s.executeQuery()) {
                        while (rs.next()) {
                            try {
                                if (Files.deleteIfExists(Path.of(rs.getString(2)))) {
                                    files++;
                                    bytes += rs.getLong(3);
                                } else {
                                    missing++;
                                }
                                purged.add(rs.getLong(1));
                            } catch (IOException e) {
                                LOG.warnf("spool retention: cannot delete %s: %s", rs.getString(2), e.getMessage());
                            }
                        }
                    }
                }
                try (PreparedStatement s = c.prepareStatement("update instances set purged_at = clock_timestamp() where id = any(?)")) {
                    s.setArray(1, c.createArrayOf("bigint", purged.toArray()));
                    s.executeUpdate();
                }
                Map<String, Object> details = new LinkedHashMap<>();
                details.put("seriesInstanceUid", series);
                details.put("filesDeleted", files);
                details.put("bytes", bytes);
                if (missing > 0) details.put("alreadyMissing", missing);
                audit.append(c, new AuditEvent("spool.purged", JobAudit.ACTOR, null, study, "purged", details));
                c.commit();
                return true;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        }
    }

}
