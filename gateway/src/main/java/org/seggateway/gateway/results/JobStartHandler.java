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
import org.seggateway.gateway.config.GatewayConfig;
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
 *
 * <p>Crashed workers: each start of attempt 1 is a new delivery of the job to a worker (a worker's own retries after an
 * exception count up from there), counted in {@code jobs.worker_starts}; {@code jobs.last_started_at} is stamped at
 * every start (the running timeout counts from it). A start that finds {@code seg-gateway.jobs.max-worker-starts}
 * deliveries before it without a result fails the job, "worker crashed N times on this job", audited as
 * {@code job.failed} (stage {@code inference}). Workers stop on their own at that point too (they dead-letter the job
 * instead of running it: see {@code InferenceWorker}); this check covers workers that could not count.
 */
@ApplicationScoped
public class JobStartHandler {
    private static final Logger LOG = Logger.getLogger(JobStartHandler.class);
    public static final String AUDIT_TYPE = "job.started";

    private final DataSource dataSource;
    private final JobRepository jobs;
    private final JobAudit audit;
    private final int maxWorkerStarts;

    JobStartHandler(DataSource dataSource, JobRepository jobs, JobAudit audit, GatewayConfig config) {
        this.dataSource = dataSource;
        this.jobs = jobs;
        this.audit = audit;
        this.maxWorkerStarts = config.jobs().maxWorkerStarts();
    }

    /** What a start did to its job; {@code GAVE_UP}: the job was failed, started too often without a result. */
    public enum Outcome { STARTED, RESTARTED, DUPLICATE, IGNORED, GAVE_UP }

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
        int starts = countStart(c, id, start.attempt() == 1);
        if (starts > maxWorkerStarts) {
            String reason = "worker crashed " + (starts - 1) + " times on this job (" + starts + " starts without a result,"
                    + " seg-gateway.jobs.max-worker-starts=" + maxWorkerStarts + "); not run again";
            if (jobs.transition(c, id, JobState.RUNNING, JobState.FAILED, reason, Map.of()))
                audit.append(c, id, "job.failed", "failed", Map.of("stage", "inference", "reason", reason,
                        "worker", String.valueOf(start.worker())));
            LOG.warnf("job %s failed: %s", id, reason);
            return Outcome.GAVE_UP;
        }
        return state == JobState.QUEUED ? Outcome.STARTED : Outcome.RESTARTED;
    }

    /** Stamps the start and, for a new delivery, counts it; returns the deliveries counted so far. */
    private static int countStart(Connection c, UUID id, boolean newDelivery) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("""
                update jobs set last_started_at = clock_timestamp(), worker_starts = worker_starts + ?
                where id = ? returning worker_starts""")) {
            s.setInt(1, newDelivery ? 1 : 0);
            s.setObject(2, id);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
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
