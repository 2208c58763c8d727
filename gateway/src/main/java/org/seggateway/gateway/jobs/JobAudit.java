package org.seggateway.gateway.jobs;

import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.seggateway.gateway.audit.AuditEvent;
import org.seggateway.gateway.audit.AuditTrail;

/** Audit events of a job's life on the queue ({@code job.queued}, {@code job.failed}, {@code result.stored}), actor the gateway. */
@ApplicationScoped
public class JobAudit {
    public static final String ACTOR = "seg-gateway";
    private final AuditTrail audit;

    JobAudit(AuditTrail audit) {
        this.audit = audit;
    }

    /** Appends within the caller's transaction, after its changes (the audit chain lock is held until the commit). */
    public void append(Connection c, UUID jobId, String type, String outcome, Map<String, ?> details) throws SQLException {
        String study = null, series = null, batch = null;
        try (PreparedStatement s = c.prepareStatement("""
                select s.study_instance_uid, s.series_instance_uid, j.batch_id
                from jobs j join series s on s.id = j.series_id where j.id = ?""")) {
            s.setObject(1, jobId);
            try (ResultSet rs = s.executeQuery()) {
                if (rs.next()) {
                    study = rs.getString(1);
                    series = rs.getString(2);
                    batch = rs.getString(3);
                }
            }
        }
        Map<String, Object> all = new LinkedHashMap<>();
        all.put("jobId", jobId.toString());
        if (series != null) all.put("seriesInstanceUid", series);
        if (batch != null) all.put("batchId", batch);
        all.putAll(details);
        audit.append(c, new AuditEvent(type, ACTOR, null, study, outcome, all));
    }
}
