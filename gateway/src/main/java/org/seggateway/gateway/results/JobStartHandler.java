package org.seggateway.gateway.results;

import jakarta.enterprise.context.ApplicationScoped;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.seggateway.gateway.config.GatewayConfig;
import org.seggateway.gateway.database.Transactions;
import org.seggateway.gateway.logging.LogContext;
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
 * {@code job.failed} (stage {@code inference}).
 * Each start also records its worker and where that worker runs the network ({@code jobs.worker},
 * {@code jobs.worker_device}: provider and GPU), which {@code /api/jobs} shows. Workers stop on their own at that point too (they dead-letter the job
 * instead of running it: see {@code InferenceWorker}); this check covers workers that could not count.
 */
@ApplicationScoped
public class JobStartHandler {
    public static final String AUDIT_TYPE = "job.started";

    private final Transactions transactions;
    private final JobStartRepository repository;
    private final JobRepository jobs;
    private final JobAudit audit;
    private final int maxWorkerStarts;

    JobStartHandler(Transactions transactions, JobStartRepository repository, JobRepository jobs, JobAudit audit, GatewayConfig config) {
        this.transactions = transactions;
        this.repository = repository;
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
            ResultsLog.LOG.foreignStart(start.jobId());
            return Outcome.IGNORED;
        }
        try (LogContext context = LogContext.job(id, null)) {
            return transactions.inTransaction(h -> started(h, id, start));
        }
    }

    private Outcome started(Handle h, UUID id, JobStarted start) throws SQLException {
        JobState state = repository.lockedState(h, id); // waits for a dispatcher still marking the job queued
        if (state != JobState.QUEUED && state != JobState.RUNNING) {
            ResultsLog.LOG.startIgnored(id, String.valueOf(start.worker()), state == null ? "unknown" : state.column());
            return Outcome.IGNORED;
        }
        if (state == JobState.RUNNING && repository.alreadyAudited(h, id, AUDIT_TYPE, start)) return Outcome.DUPLICATE;
        if (state == JobState.QUEUED) jobs.transition(h, id, JobState.QUEUED, JobState.RUNNING, null, Map.of());
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("worker", String.valueOf(start.worker()));
        details.put("attempt", start.attempt());
        details.put("workerStartedAt", String.valueOf(start.startedAt()));
        if (start.device() != null) details.put("device", start.device());
        audit.append(h, id, AUDIT_TYPE, "started", details);
        ResultsLog.LOG.started(id, String.valueOf(start.worker()), start.attempt());
        repository.recordWorker(h, id, start);
        int starts = repository.countStart(h, id, start.attempt() == 1);
        if (starts > maxWorkerStarts) {
            String reason = "worker crashed " + (starts - 1) + " times on this job (" + starts + " starts without a result,"
                    + " seg-gateway.jobs.max-worker-starts=" + maxWorkerStarts + "); not run again";
            if (jobs.transition(h, id, JobState.RUNNING, JobState.FAILED, reason, Map.of()))
                audit.append(h, id, "job.failed", "failed", Map.of("stage", "inference", "reason", reason,
                        "worker", String.valueOf(start.worker())));
            ResultsLog.LOG.jobFailed(id, reason);
            return Outcome.GAVE_UP;
        }
        return state == JobState.QUEUED ? Outcome.STARTED : Outcome.RESTARTED;
    }
}
