package org.seggateway.gateway.reprocess;

import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.seggateway.gateway.database.Transactions;
import org.seggateway.gateway.jobs.JobRepository.PendingJob;
import org.seggateway.gateway.reprocess.BatchProgress.BatchJob;
import org.seggateway.inference.queue.QueueRecords;

/**
 * The SQL of reprocessing batches ({@code reprocess_batches} and the jobs that belong to them): methods taking a
 * {@link Handle} run in the caller's transaction, the others read on their own.
 */
@ApplicationScoped
public class BatchRepository {
    private final Transactions transactions;

    BatchRepository(Transactions transactions) {
        this.transactions = transactions;
    }

    /** A series a selection may reprocess, with the route of its latest routed job (null if none). */
    public record Candidate(long seriesId, String studyInstanceUid, String seriesInstanceUid, int version, String state, String route) {
    }

    /** A batch just ended, with its counts of jobs done and failed. */
    public record Finished(UUID id, String requestedBy, int done, int failed) {
    }

    void insert(Handle h, UUID id, BatchPlan plan, String requestedBy, String reason, Map<String, Object> selection) {
        h.createUpdate("""
                        insert into reprocess_batches (id, requested_by, reason, model_package, model_name, model_version, selection,
                                                       state, created_at)
                        values (:id, :requestedBy, :reason, :modelPackage, :modelName, :modelVersion, :selection::jsonb, 'running',
                                clock_timestamp())""")
                .bind("id", id).bind("requestedBy", requestedBy).bind("reason", reason)
                .bind("modelPackage", plan.modelPackage()).bind("modelName", plan.modelName())
                .bind("modelVersion", plan.modelVersion())
                .bind("selection", new String(QueueRecords.toJson(selection), StandardCharsets.UTF_8))
                .execute();
    }

    /**
     * Records a series the gateway never received, as complete and without instances, from {@code pacsAeTitle}; an
     * existing row (the series arrived meanwhile) is taken as it is. Returns its id.
     */
    long recordNeverReceived(Handle h, BatchPlan.PlannedSeries series, String pacsAeTitle) {
        return h.createQuery("""
                        insert into series (series_instance_uid, study_instance_uid, calling_ae_title, instance_count, version, state,
                                            first_received_at, last_received_at, completed_at)
                        values (:series, :study, :aeTitle, 0, 1, 'complete', clock_timestamp(), clock_timestamp(), clock_timestamp())
                        on conflict (series_instance_uid) do update set series_instance_uid = excluded.series_instance_uid
                        returning id""")
                .bind("series", series.seriesInstanceUid()).bind("study", series.studyInstanceUid()).bind("aeTitle", pacsAeTitle)
                .mapTo(long.class).one();
    }

    /** The batch's state, its row locked until the transaction ends; empty when there is no such batch. */
    Optional<String> lockState(Handle h, UUID id) {
        return h.createQuery("select state from reprocess_batches where id = :id for update").bind("id", id)
                .mapTo(String.class).findOne();
    }

    void markCancelled(Handle h, UUID id, String cancelledBy) {
        h.createUpdate("update reprocess_batches set state = 'cancelled', finished_at = clock_timestamp(), cancelled_by = :by where id = :id")
                .bind("by", cancelledBy).bind("id", id).execute();
    }

    /** Cancels the batch's jobs not yet on the queue; returns how many. */
    int cancelWaitingJobs(Handle h, UUID id, String reason) {
        return h.createUpdate("""
                        update jobs set state = 'cancelled', reason = :reason, updated_at = clock_timestamp(), finished_at = clock_timestamp()
                        where batch_id = :id and state = 'complete'""")
                .bind("reason", reason).bind("id", id).execute();
    }

    /** Marks running batches whose jobs have all finished 'done'; returns them. */
    List<Finished> finishCompleted(Handle h) {
        return h.createQuery("""
                        update reprocess_batches b set state = 'done', finished_at = clock_timestamp()
                        where b.state = 'running' and not exists (select 1 from jobs j where j.batch_id = b.id
                                                                 and j.state in ('complete', 'queued', 'running'))
                        returning b.id, b.requested_by,
                                  (select count(*) from jobs j where j.batch_id = b.id and j.state = 'done') as done,
                                  (select count(*) from jobs j where j.batch_id = b.id and j.state = 'failed') as failed""")
                .map((rs, ctx) -> new Finished(rs.getObject("id", UUID.class), rs.getString("requested_by"), rs.getInt("done"),
                        rs.getInt("failed")))
                .list();
    }

    /** The series that pass a reprocessing selection (null and empty values do not filter), oldest first. */
    List<Candidate> candidates(Handle h, List<String> studyUids, Instant from, Instant to, String previousModel) {
        return h.createQuery("""
                        select s.id, s.study_instance_uid, s.series_instance_uid, s.version, s.state,
                               (select j.route_name from jobs j where j.series_id = s.id and j.route_name is not null
                                order by j.created_at desc limit 1) as route
                        from series s
                        where (cardinality(:studies::varchar[]) = 0 or s.study_instance_uid = any(:studies::varchar[]))
                          and (:from::timestamptz is null or s.last_received_at >= :from)
                          and (:to::timestamptz is null or s.first_received_at < :to)
                          and (:model::varchar is null or exists (select 1 from jobs j where j.series_id = s.id and j.model_name = :model))
                        order by s.first_received_at, s.id""")
                .bindArray("studies", String.class, studyUids)
                .bind("from", timestamp(from)).bind("to", timestamp(to)).bind("model", previousModel)
                .map((rs, ctx) -> new Candidate(rs.getLong("id"), rs.getString("study_instance_uid"),
                        rs.getString("series_instance_uid"), rs.getInt("version"), rs.getString("state"), rs.getString("route")))
                .list();
    }

    /** Batch jobs on the queue or on a worker now, over all batches. */
    public int inFlight() {
        return transactions.withHandle(h -> h.createQuery(
                "select count(*) from jobs where batch_id is not null and state in ('queued', 'running')").mapTo(int.class).one());
    }

    /** Live jobs waiting for a worker: completed but not on the queue yet, or on the queue. */
    public int liveWaiting() {
        return transactions.withHandle(h -> h.createQuery(
                "select count(*) from jobs where batch_id is null and state in ('complete', 'queued')").mapTo(int.class).one());
    }

    /** The next batch jobs to queue, oldest batch first, leaving out {@code notNow}. */
    public List<PendingJob> waiting(Set<UUID> notNow, int limit) {
        return transactions.withHandle(h -> h.createQuery("""
                        select j.id as job_id, s.id as series_id, s.series_instance_uid, s.study_instance_uid, j.series_version,
                               j.model_package
                        from jobs j join series s on s.id = j.series_id join reprocess_batches b on b.id = j.batch_id
                        where j.state = 'complete' and b.state = 'running' and not (j.id = any(:notNow))
                        order by b.created_at, j.created_at, j.id limit :limit""")
                .bindArray("notNow", UUID.class, notNow).bind("limit", limit)
                .map((rs, ctx) -> new PendingJob(rs.getObject("job_id", UUID.class), rs.getLong("series_id"),
                        rs.getString("series_instance_uid"), rs.getString("study_instance_uid"), rs.getInt("series_version"),
                        rs.getString("model_package")))
                .list());
    }

    /**
     * Takes the session lock of the batch dispatch pass, so that one gateway at a time runs one; false if another holds it.
     * The handle must stay open until {@link #unlockDispatch}.
     */
    boolean tryLockDispatch(Handle session) {
        return session.createQuery("select pg_try_advisory_lock(hashtext('seg-gateway batch dispatch'))").mapTo(boolean.class).one();
    }

    void unlockDispatch(Handle session) {
        session.createQuery("select pg_advisory_unlock(hashtext('seg-gateway batch dispatch'))").mapTo(boolean.class).one();
    }

    public Optional<BatchProgress> progress(UUID id) {
        return query("where b.id = :id", id, 1, true).stream().findFirst();
    }

    /** The most recent batches, without their job lists. */
    public List<BatchProgress> recent(int limit) {
        return query("", null, limit, false);
    }

    private List<BatchProgress> query(String where, UUID id, int limit, boolean withJobs) {
        return transactions.withHandle(h -> {
            var q = h.createQuery("""
                    select b.id, b.state, b.requested_by, b.reason, b.model_package, b.model_name, b.model_version, b.created_at,
                           b.finished_at, b.cancelled_by,
                           count(j.id) as total,
                           count(j.id) filter (where j.state = 'complete') as waiting,
                           count(j.id) filter (where j.state = 'queued') as queued,
                           count(j.id) filter (where j.state = 'running') as running,
                           count(j.id) filter (where j.state = 'done') as done,
                           count(j.id) filter (where j.state = 'failed') as failed,
                           count(j.id) filter (where j.state = 'cancelled') as cancelled,
                           min(j.queued_at) as first_queued, max(j.finished_at) filter (where j.state in ('done', 'failed')) as last_finished
                    from reprocess_batches b left join jobs j on j.batch_id = b.id
                    """ + where + " group by b.id order by b.created_at desc limit :limit").bind("limit", limit);
            if (id != null) q.bind("id", id);
            List<BatchProgress> batches = q.map((rs, ctx) -> progress(rs, List.of())).list();
            return withJobs ? batches.stream().map(b -> withJobs(b, jobs(h, b.id()))).toList() : batches;
        });
    }

    private static BatchProgress progress(ResultSet rs, List<BatchJob> jobs) throws SQLException {
        int queued = rs.getInt("queued"), running = rs.getInt("running"), done = rs.getInt("done"), failed = rs.getInt("failed");
        int waiting = rs.getInt("waiting");
        String state = rs.getString("state");
        Long eta = eta(state, rs.getTimestamp("first_queued"), rs.getTimestamp("last_finished"), done + failed,
                waiting + queued + running);
        return new BatchProgress(rs.getObject("id", UUID.class), state, rs.getString("requested_by"), rs.getString("reason"),
                rs.getString("model_package"), rs.getString("model_name"), rs.getString("model_version"),
                instant(rs.getTimestamp("created_at")), instant(rs.getTimestamp("finished_at")), rs.getString("cancelled_by"),
                rs.getInt("total"), waiting, queued, running, done, failed, rs.getInt("cancelled"), eta, jobs);
    }

    private static BatchProgress withJobs(BatchProgress b, List<BatchJob> jobs) {
        return new BatchProgress(b.id(), b.state(), b.requestedBy(), b.reason(), b.modelPackage(), b.modelName(), b.modelVersion(),
                b.createdAt(), b.finishedAt(), b.cancelledBy(), b.total(), b.waiting(), b.queued(), b.running(), b.done(), b.failed(),
                b.cancelled(), b.etaSeconds(), jobs);
    }

    private static Long eta(String state, Timestamp firstQueued, Timestamp lastFinished, int finished, int left) {
        if (!"running".equals(state) || firstQueued == null || lastFinished == null || finished == 0) return null;
        Duration perJob = Duration.between(firstQueued.toInstant(), lastFinished.toInstant()).dividedBy(finished);
        return perJob.multipliedBy(left).toSeconds();
    }

    private static List<BatchJob> jobs(Handle h, UUID batchId) {
        return h.createQuery("""
                        select j.id, s.study_instance_uid, s.series_instance_uid, j.state, j.reason,
                               extract(epoch from (j.finished_at - j.queued_at))::float8 as seconds, r.version as result_version,
                               r.seg_series_instance_uid, r.seg_sop_instance_uid
                        from jobs j join series s on s.id = j.series_id left join results r on r.job_id = j.id
                        where j.batch_id = :batchId order by j.created_at, j.id""")
                .bind("batchId", batchId)
                .map((rs, ctx) -> new BatchJob(rs.getObject("id", UUID.class), rs.getString("study_instance_uid"),
                        rs.getString("series_instance_uid"), rs.getString("state"), rs.getString("reason"),
                        rs.getObject("seconds", Double.class), rs.getObject("result_version", Integer.class),
                        rs.getString("seg_series_instance_uid"), rs.getString("seg_sop_instance_uid")))
                .list();
    }

    private static Timestamp timestamp(Instant t) {
        return t == null ? null : Timestamp.from(t);
    }

    private static Instant instant(Timestamp t) {
        return t == null ? null : t.toInstant();
    }
}
