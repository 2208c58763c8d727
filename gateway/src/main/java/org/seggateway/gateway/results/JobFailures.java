package org.seggateway.gateway.results;

import jakarta.enterprise.context.ApplicationScoped;
import java.sql.SQLException;
import org.jdbi.v3.core.Handle;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.seggateway.gateway.database.Transactions;
import org.seggateway.gateway.jobs.JobAudit;
import org.seggateway.gateway.jobs.JobRepository;
import org.seggateway.gateway.jobs.JobState;

/** Fails a job that still waits for its result, with the reason and a {@code job.failed} audit row naming the stage. */
@ApplicationScoped
public class JobFailures {
    static final Set<JobState> AWAITING_RESULT = Set.of(JobState.COMPLETE, JobState.QUEUED, JobState.RUNNING);

    private final Transactions transactions;
    private final JobRepository jobs;
    private final JobAudit audit;

    JobFailures(Transactions transactions, JobRepository jobs, JobAudit audit) {
        this.transactions = transactions;
        this.jobs = jobs;
        this.audit = audit;
    }

    /** In a transaction of its own; false when the job was not waiting. */
    public boolean fail(UUID jobId, String stage, String reason) throws SQLException {
        return transactions.inTransaction(h -> fail(h, jobId, stage, reason, Map.of()));
    }

    /** Within the caller's transaction, the worker's stage times kept; false when the job was not waiting. */
    public boolean fail(Handle h, UUID jobId, String stage, String reason, Map<String, Double> stageSeconds) throws SQLException {
        boolean failed = jobs.transition(h, jobId, AWAITING_RESULT, JobState.FAILED, reason, stageSeconds);
        if (failed) audit.append(h, jobId, "job.failed", "failed", Map.of("stage", stage, "reason", reason));
        return failed;
    }
}
