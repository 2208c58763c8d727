package org.seggateway.gateway.jobs;

import jakarta.enterprise.context.ApplicationScoped;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
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

    /** The study, series and batch an audit row of a job names. */
    private record JobKeys(String studyInstanceUid, String seriesInstanceUid, String batchId) {
    }

    /** Appends within the caller's transaction, after its changes (the audit chain lock is held until the commit). */
    public void append(Handle h, UUID jobId, String type, String outcome, Map<String, ?> details) throws SQLException {
        JobKeys keys = h.createQuery("""
                        select s.study_instance_uid, s.series_instance_uid, j.batch_id
                        from jobs j join series s on s.id = j.series_id where j.id = :id""")
                .bind("id", jobId)
                .map((rs, ctx) -> new JobKeys(rs.getString("study_instance_uid"), rs.getString("series_instance_uid"),
                        rs.getString("batch_id")))
                .findOne().orElse(new JobKeys(null, null, null));
        Map<String, Object> all = new LinkedHashMap<>();
        all.put("jobId", jobId.toString());
        if (keys.seriesInstanceUid() != null) all.put("seriesInstanceUid", keys.seriesInstanceUid());
        if (keys.batchId() != null) all.put("batchId", keys.batchId());
        all.putAll(details);
        audit.append(h, new AuditEvent(type, ACTOR, null, keys.studyInstanceUid(), outcome, all));
    }

}
