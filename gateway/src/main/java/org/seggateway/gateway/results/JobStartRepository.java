package org.seggateway.gateway.results;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.seggateway.gateway.jobs.JobState;
import org.seggateway.inference.queue.JobStarted;
import org.seggateway.inference.queue.QueueRecords;

/** The SQL of a worker's start of a job: the job's locked state, its start counters, its audited starts. */
@ApplicationScoped
public class JobStartRepository {

    /** The job's state, its row locked (waiting for a dispatcher still marking it queued); null for an unknown job. */
    public JobState lockedState(Handle h, UUID id) {
        boolean exists = h.createQuery("select state from jobs where id = :id for update").bind("id", id).mapTo(String.class)
                .findOne().isPresent();
        if (!exists) return null;
        // a new statement sees what was committed while we waited for the lock
        return h.createQuery("select state from jobs where id = :id").bind("id", id)
                .map((rs, ctx) -> ResultRepository.state(rs.getString("state"))).one();
    }

    /** Stamps the start and, for a new delivery, counts it; returns the deliveries counted so far. */
    public int countStart(Handle h, UUID id, boolean newDelivery) {
        return h.createQuery("""
                        update jobs set last_started_at = clock_timestamp(), worker_starts = worker_starts + :increment
                        where id = :id returning worker_starts""")
                .bind("increment", newDelivery ? 1 : 0)
                .bind("id", id)
                .map((rs, ctx) -> rs.getInt("worker_starts"))
                .one();
    }

    /** The worker of the latest start and its device (null from a worker that does not send one). */
    public void recordWorker(Handle h, UUID id, JobStarted start) {
        h.createUpdate("update jobs set worker = :worker, worker_device = cast(:device as jsonb) where id = :id")
                .bind("worker", start.worker())
                .bind("device", start.device() == null ? null : new String(QueueRecords.toJson(start.device()), java.nio.charset.StandardCharsets.UTF_8))
                .bind("id", id)
                .execute();
    }

    /** Whether this very start (worker, attempt, worker's clock) was audited already. */
    public boolean alreadyAudited(Handle h, UUID id, String auditType, JobStarted start) {
        // the job's study narrows the search to a few rows (index on study_instance_uid)
        return h.createQuery("""
                        select 1 from audit_events a
                        where a.study_instance_uid = (select s.study_instance_uid from jobs j join series s on s.id = j.series_id
                                                      where j.id = :id)
                          and a.event_type = :type and a.details->>'jobId' = :jobId and a.details->>'worker' = :worker
                          and a.details->>'workerStartedAt' = :startedAt and (a.details->>'attempt')::int = :attempt""")
                .bind("id", id)
                .bind("type", auditType)
                .bind("jobId", id.toString())
                .bind("worker", String.valueOf(start.worker()))
                .bind("startedAt", String.valueOf(start.startedAt()))
                .bind("attempt", start.attempt())
                .mapTo(Integer.class)
                .findFirst()
                .isPresent();
    }
}
