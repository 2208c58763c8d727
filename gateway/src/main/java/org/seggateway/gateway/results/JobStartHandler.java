package org.seggateway.gateway.results;

import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;
import org.jboss.logging.Logger;
import org.seggateway.gateway.jobs.JobAudit;
import org.seggateway.gateway.jobs.JobRepository;
import org.seggateway.gateway.jobs.JobState;
import org.seggateway.inference.queue.JobStarted;

/**
 * A worker's {@link JobStarted}: a queued job becomes 'running' ({@code started_at} stamped on the gateway's clock,
 * like the job's other times) and {@code job.started} is audited with the worker, its attempt and its clock. A start
 * for a job already running (another attempt, another worker that took it over) is audited too but keeps the first
 * {@code started_at}; the same start read twice is audited once. A start that arrives when the job is no longer
 * queued or running (its result came first) changes nothing.
 */
@ApplicationScoped
public class JobStartHandler {
    private static final Logger LOG = Logger.getLogger(JobStartHandler.class);
    public static final String AUDIT_TYPE = "job.started";

    private final DataSource dataSource;
    private final JobRepository jobs;
    private final JobAudit audit;

    JobStartHandler(DataSource dataSource, JobRepository jobs, JobAudit audit) {
        this.dataSource = dataSource;
        this.jobs = jobs;
        this.audit = audit;
    }

    /** What a start did to its job. */
    public enum Outcome { STARTED, RESTARTED, DUPLICATE, IGNORED }

    public Outcome started(JobStarted start) throws SQLException {
        UUID id;
        try {
            id = UUID.fromString(start.jobId());
        } catch (IllegalArgumentException | NullPointerException e) {
            LOG.warnf("start of a job that is not ours ('%s') ignored", start.jobId());
            return Outcome.IGNORED;
        }
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                Outcome outcome = started(c, id, start);
                c.commit();
                return outcome;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        }
    }

    private Outcome started(Connection c, UUID id, JobStarted start) throws SQLException {
        JobState state = lockedState(c, id); // waits for a dispatcher still marking the job queued
        if (state != JobState.QUEUED && state != JobState.RUNNING) {
            LOG.debugf("start of job %s by %s ignored: the job is %s", id, start.worker(), state == null ? "unknown" : state.column());
            return Outcome.IGNORED;
        }
        if (state == JobState.RUNNING && alreadyAudited(c, id, start)) return Outcome.DUPLICATE;
        if (state == JobState.QUEUED) jobs.transition(c, id, JobState.QUEUED, JobState.RUNNING, null, Map.of());
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("worker", String.valueOf(start.worker()));
        details.put("attempt", start.attempt());
        details.put("workerStartedAt", String.valueOf(start.startedAt()));
        audit.append(c, id, AUDIT_TYPE, "started", details);
        LOG.debugf("job %s started on %s (attempt %d)", id, start.worker(), start.attempt());
        return state == JobState.QUEUED ? Outcome.STARTED : Outcome.RESTARTED;
    }

    private static JobState lockedState(Connection c, UUID id) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("select state from jobs where id = ? for update")) {
            s.setObject(1, id);
            try (ResultSet rs = s.executeQuery()) {
                if (!rs.next()) return null;
            }
        }
        // a new statement sees what was committed while we waited for the lock
        try (PreparedStatement s = c.prepareStatement("select state from jobs where id = ?")) {
            s.setObject(1, id);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return JobState.valueOf(rs.getString(1).toUpperCase(Locale.ROOT));
            }
        }
    }

    private static boolean alreadyAudited(Connection c, UUID id, JobStarted start) throws SQLException {
        // the job's study narrows the search to a few rows (index on study_instance_uid)
        try (PreparedStatement s = c.prepareStatement("""
                select 1 from audit_events a
                where a.study_instance_uid = (select s.study_instance_uid from jobs j join series s on s.id = j.series_id where j.id = ?)
                  and a.event_type = ? and a.details->>'jobId' = ? and a.details->>'worker' = ?
                  and a.details->>'workerStartedAt' = ? and (a.details->>'attempt')::int = ?""")) {
            s.setObject(1, id);
            s.setString(2, AUDIT_TYPE);
            s.setString(3, id.toString());
            s.setString(4, String.valueOf(start.worker()));
            s.setString(5, String.valueOf(start.startedAt()));
            s.setInt(6, start.attempt());
            try (ResultSet rs = s.executeQuery()) {
                return rs.next();
            }
        }
    }
}
