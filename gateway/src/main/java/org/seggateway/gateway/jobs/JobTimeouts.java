package org.seggateway.gateway.jobs;

import static org.seggateway.gateway.jobs.JobsLog.LOG;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.Startup;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import org.jdbi.v3.core.JdbiException;
import org.seggateway.gateway.config.GatewayConfig;
import org.seggateway.gateway.database.Transactions;
import org.seggateway.gateway.logging.LogContext;
import org.seggateway.gateway.work.LoopErrors;

/**
 * Fails jobs that would otherwise wait for ever: 'queued' longer than {@code seg-gateway.jobs.queued-timeout} (no worker
 * took them: none running, none holding the model) and 'running' longer than {@code running-timeout} after their latest
 * start (a worker hung, or died and no other took the job over). Each gets its reason, a {@code job.failed} audit row
 * (stage {@code timeout}) and a count in {@code seggateway_jobs_timed_out_total{state}}; a result or dead letter that
 * arrives later is ignored, and the series can be run again by reprocessing. Failed rather than queued again: a job
 * that no worker took for hours, or that hangs its worker, would do the same a second time. Several gateways may run
 * this at once: each job is failed once ({@code for update skip locked}, then a guarded state change).
 */
@Startup
@ApplicationScoped
public class JobTimeouts {

    private final Transactions transactions;
    private final JobRepository jobs;
    private final JobAudit audit;
    private final MeterRegistry registry;
    private final LoopErrors loopErrors;
    private final GatewayConfig.Jobs settings;

    JobTimeouts(Transactions transactions, JobRepository jobs, JobAudit audit, MeterRegistry registry, LoopErrors loopErrors,
                GatewayConfig config) {
        this.transactions = transactions;
        this.jobs = jobs;
        this.audit = audit;
        this.registry = registry;
        this.loopErrors = loopErrors;
        this.settings = config.jobs();
        if (settings.maxWorkerStarts() < 1)
            throw new IllegalArgumentException("seg-gateway.jobs.max-worker-starts must be at least 1, not " + settings.maxWorkerStarts());
        requirePositive("queued-timeout", settings.queuedTimeout());
        requirePositive("running-timeout", settings.runningTimeout());
    }

    /** A job failed for its timeout. */
    public record TimedOut(UUID jobId, String state, String reason) {
    }

    @Scheduled(every = "${seg-gateway.jobs.timeout-check-every:1m}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void scheduled() {
        try {
            failOverdue(Instant.now());
        } catch (SQLException | JdbiException e) {
            LOG.timeoutCheckFailed(e.getMessage());
        } catch (RuntimeException | Error e) {
            loopErrors.caught("job-timeouts", e);
        }
    }

    /** Fails every job past its timeout at {@code now}; returns them. */
    public List<TimedOut> failOverdue(Instant now) throws SQLException {
        List<TimedOut> failed = transactions.inTransaction(h -> {
            List<TimedOut> done = new ArrayList<>();
            for (JobRepository.Overdue job : jobs.lockOverdue(h, now.minus(settings.queuedTimeout()), now.minus(settings.runningTimeout()))) {
                JobState state = JobState.valueOf(job.state().toUpperCase(Locale.ROOT));
                String reason = state == JobState.QUEUED
                        ? "no worker took the job within seg-gateway.jobs.queued-timeout (" + settings.queuedTimeout()
                          + ") after it was queued"
                        : "no result within seg-gateway.jobs.running-timeout (" + settings.runningTimeout()
                          + ") after the job's latest start (" + job.workerStarts() + " worker start(s))";
                if (!jobs.transition(h, job.id(), state, JobState.FAILED, reason, Map.of())) continue;
                Map<String, Object> details = new LinkedHashMap<>();
                details.put("stage", "timeout");
                details.put("state", job.state());
                details.put("reason", reason);
                audit.append(h, job.id(), "job.failed", "failed", details);
                done.add(new TimedOut(job.id(), job.state(), reason));
            }
            return done;
        });
        for (TimedOut t : failed) {
            Counter.builder("seggateway.jobs.timed.out").description("Jobs failed for staying queued or running too long")
                    .tag("state", t.state()).register(registry).increment();
            try (LogContext context = LogContext.job(t.jobId(), null)) {
                LOG.timedOut(t.jobId(), t.reason());
            }
        }
        return failed;
    }

    private static void requirePositive(String key, Duration d) {
        if (d.isNegative() || d.isZero())
            throw new IllegalArgumentException("seg-gateway.jobs." + key + " must be a positive duration, not " + d);
    }
}
