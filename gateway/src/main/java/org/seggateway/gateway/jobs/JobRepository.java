package org.seggateway.gateway.jobs;

import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.seggateway.gateway.database.Transactions;
import org.seggateway.inference.queue.QueueRecords;

/**
 * Job rows: creation at series completion and every later change of state. Methods with a {@link Handle} work in the
 * caller's transaction.
 */
@ApplicationScoped
public class JobRepository {
    private final Transactions transactions;

    JobRepository(Transactions transactions) {
        this.transactions = transactions;
    }

    /** A job waiting to be queued: what the dispatcher needs to assemble and publish it. */
    public record PendingJob(UUID id, long seriesId, String seriesInstanceUid, String studyInstanceUid, int seriesVersion,
                             String modelPackage) {
    }

    /** A job still 'queued' or 'running' when its timeout had passed. */
    public record Overdue(UUID id, String state, int workerStarts) {
    }

    public UUID create(Handle h, long seriesId, int seriesVersion, String route, String modelReference, JobState state,
                       String reason) {
        return create(h, seriesId, seriesVersion, route, modelReference, state, reason, null);
    }

    /** A job of a reprocessing batch when {@code batchId} is set. */
    public UUID create(Handle h, long seriesId, int seriesVersion, String route, String modelReference, JobState state,
                       String reason, UUID batchId) {
        UUID id = UUID.randomUUID();
        Instant now = Instant.now();
        h.createUpdate("""
                        insert into jobs (id, series_id, series_version, route_name, model_package, state, reason, created_at, updated_at,
                                          batch_id)
                        values (:id, :seriesId, :seriesVersion, :route, :modelPackage, :state, :reason, :now, :now, :batchId)""")
                .bind("id", id).bind("seriesId", seriesId).bind("seriesVersion", seriesVersion).bind("route", route)
                .bind("modelPackage", modelReference).bind("state", state.column()).bind("reason", reason).bind("now", now)
                .bind("batchId", batchId)
                .execute();
        return id;
    }


    /** Jobs of completed series not yet on the queue (also those left by a restart); batch jobs are the batch dispatcher's. */
    public List<PendingJob> awaitingQueue(int limit) {
        return transactions.withHandle(h -> h.createQuery("""
                        select j.id as job_id, s.id as series_id, s.series_instance_uid, s.study_instance_uid, j.series_version,
                               j.model_package
                        from jobs j join series s on s.id = j.series_id
                        where j.state = 'complete' and j.batch_id is null order by j.created_at limit :limit""")
                .bind("limit", limit)
                .map((rs, ctx) -> new PendingJob(rs.getObject("job_id", UUID.class), rs.getLong("series_id"),
                        rs.getString("series_instance_uid"), rs.getString("study_instance_uid"), rs.getInt("series_version"),
                        rs.getString("model_package")))
                .list());
    }

    /** Locks the job row if it is still waiting; false when another gateway holds or moved it. */
    public boolean lockIfWaiting(Handle h, UUID id) {
        return h.createQuery("select 1 from jobs where id = :id and state = 'complete' for update skip locked")
                .bind("id", id).mapTo(Integer.class).findOne().isPresent();
    }

    /**
     * Locks the jobs 'queued' since before {@code queuedBefore} or 'running' since before {@code startedBefore} (their
     * latest start) that no other transaction holds.
     */
    public List<Overdue> lockOverdue(Handle h, Instant queuedBefore, Instant startedBefore) {
        return h.createQuery("""
                        select id, state, worker_starts from jobs
                        where (state = 'queued' and queued_at < :queuedBefore)
                           or (state = 'running' and coalesce(last_started_at, started_at) < :startedBefore)
                        order by created_at limit 500
                        for update skip locked""")
                .bind("queuedBefore", queuedBefore).bind("startedBefore", startedBefore)
                .map((rs, ctx) -> new Overdue(rs.getObject("id", UUID.class), rs.getString("state"), rs.getInt("worker_starts")))
                .list();
    }

    /** Moves a job from one state to the next; false when it was not in {@code from} (someone else moved it). */
    public boolean transition(UUID id, JobState from, JobState to, String reason, Map<String, Double> stageSeconds) {
        return transactions.withHandle(h -> transition(h, id, Set.of(from), to, reason, stageSeconds));
    }

    public boolean transition(Handle h, UUID id, JobState from, JobState to, String reason, Map<String, Double> stageSeconds) {
        return transition(h, id, Set.of(from), to, reason, stageSeconds);
    }


    /** Moves a job from any of the states {@code from} to {@code to}; false when it was in none of them. */
    public boolean transition(Handle h, UUID id, Set<JobState> from, JobState to, String reason, Map<String, Double> stageSeconds) {
        // clock_timestamp(), not now(): now() is when the transaction began, which for the dispatcher is before the
        // volume was assembled and published, and for the result handler before the SEG was built
        String stamp = switch (to) {
            case QUEUED -> ", queued_at = clock_timestamp()";
            case RUNNING -> ", started_at = coalesce(started_at, clock_timestamp())";
            case DONE, FAILED, SKIPPED, CANCELLED -> ", finished_at = clock_timestamp()";
            default -> "";
        };
        return h.createUpdate("update jobs set state = :to, updated_at = clock_timestamp(), reason = coalesce(:reason, reason),"
                        + " stage_seconds = stage_seconds || :stageSeconds::jsonb" + stamp + " where id = :id and state = any(:from)")
                .bind("to", to.column()).bind("reason", reason)
                .bind("stageSeconds", new String(QueueRecords.toJson(stageSeconds == null ? Map.of() : stageSeconds), StandardCharsets.UTF_8))
                .bind("id", id).bind("from", from.stream().map(JobState::column).toArray(String[]::new))
                .execute() == 1;
    }


    /**
     * Records that a job is on the queue: the model identity read from its package, the instances its
     * volume was assembled from, one more attempt and the gateway's stage times.
     */
    public boolean markQueued(Handle h, UUID id, String modelName, String modelVersion, List<Long> sourceInstanceIds,
                              Map<String, Double> stageSeconds) {
        h.createUpdate("update jobs set model_name = :modelName, model_version = :modelVersion,"
                        + " source_instance_ids = :sourceInstanceIds where id = :id")
                .bind("modelName", modelName).bind("modelVersion", modelVersion)
                .bind("sourceInstanceIds", sourceInstanceIds.toArray(Long[]::new)).bind("id", id)
                .execute();
        countAttempt(h, id);
        return transition(h, id, JobState.COMPLETE, JobState.QUEUED, null, stageSeconds);
    }

    /**
     * What the volume reader repaired in the job's series when it was queued (replacing those of an earlier queuing),
     * without the "series UID: " each warning starts with, since the job names its series.
     */
    public void recordVolumeWarnings(Handle h, UUID id, String seriesInstanceUid, List<String> warnings) {
        String prefix = "series " + seriesInstanceUid + ": ";
        h.createUpdate("update jobs set volume_warnings = :warnings where id = :id")
                .bind("warnings", warnings.stream().map(w -> w.startsWith(prefix) ? w.substring(prefix.length()) : w)
                        .toArray(String[]::new))
                .bind("id", id)
                .execute();
    }

    /** Adds 1 to a job's attempt counter (each time it is put on the queue). */
    public void countAttempt(Handle h, UUID id) {
        h.createUpdate("update jobs set attempts = attempts + 1 where id = :id").bind("id", id).execute();
    }
}
