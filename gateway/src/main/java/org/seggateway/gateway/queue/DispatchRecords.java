package org.seggateway.gateway.queue;

import jakarta.enterprise.context.ApplicationScoped;
import java.sql.SQLException;
import java.util.Map;
import org.jdbi.v3.core.Handle;
import org.seggateway.gateway.jobs.JobAudit;
import org.seggateway.gateway.jobs.JobRepository;
import org.seggateway.gateway.jobs.JobRepository.PendingJob;
import org.seggateway.gateway.jobs.JobState;

/** What the dispatcher writes about a job it holds locked, in its transaction: queued, or failed before the queue. */
@ApplicationScoped
class DispatchRecords {
    private final JobRepository jobs;
    private final JobAudit audit;

    DispatchRecords(JobRepository jobs, JobAudit audit) {
        this.jobs = jobs;
        this.audit = audit;
    }

    /**
     * The job is on the queue: its model identity, the instances of its volume and the volume's warnings, one more
     * attempt, the gateway's stage times and a {@code job.queued} audit row.
     */
    void queued(Handle h, PendingJob job, VolumeAssembler.Assembled assembled, Map<String, Double> stageSeconds) throws SQLException {
        if (!jobs.markQueued(h, job.id(), assembled.model().name(), assembled.model().version(), assembled.instanceIds(), stageSeconds))
            throw new SQLException("job " + job.id() + " left state 'complete' while locked"); // cannot happen under the row lock
        jobs.recordVolumeWarnings(h, job.id(), job.seriesInstanceUid(), assembled.volume().warnings());
        audit.append(h, job.id(), "job.queued", "queued", Map.of("model", assembled.model().name(),
                "modelVersion", assembled.model().version(), "instances", assembled.files().size()));
    }

    /** The job failed before the queue, with its reason and a {@code job.failed} audit row. */
    void failed(Handle h, PendingJob job, JobNotQueueable why) throws SQLException {
        if (jobs.transition(h, job.id(), JobState.COMPLETE, JobState.FAILED, why.getMessage(), Map.of()))
            audit.append(h, job.id(), "job.failed", "failed", Map.of("stage", why.stage(), "reason", why.getMessage()));
    }
}
