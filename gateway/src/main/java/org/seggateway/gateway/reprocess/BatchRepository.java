package org.seggateway.gateway.reprocess;

import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import javax.sql.DataSource;
import org.seggateway.gateway.audit.AuditEvent;
import org.seggateway.gateway.audit.AuditTrail;
import org.seggateway.gateway.config.GatewayConfig;
import org.seggateway.gateway.jobs.JobAudit;
import org.seggateway.gateway.jobs.JobRepository;
import org.seggateway.gateway.jobs.JobRepository.PendingJob;
import org.seggateway.gateway.jobs.JobState;
import org.seggateway.gateway.reprocess.BatchProgress.BatchJob;
import org.seggateway.inference.queue.QueueRecords;

/**
 * Reprocessing batches in the database: creation with one job per planned series (state 'complete', left to the
 * {@link BatchDispatcher}), progress, cancellation and the end of a batch. Each of these is audited in the same
 * transaction.
 */
@ApplicationScoped
public class BatchRepository {
    private final DataSource dataSource;
    private final JobRepository jobs;
    private final AuditTrail audit;
    private final GatewayConfig config;

    BatchRepository(DataSource dataSource, JobRepository jobs, AuditTrail audit, GatewayConfig config) {
        this.dataSource = dataSource;
        this.jobs = jobs;
        this.audit = audit;
        this.config = config;
    }

    /** Who asked, from where. */
    public record Requester(String user, String address) {
    }

    /** Records the batch and its jobs; audited as {@code reprocess.requested} with the reason and every job. */
    public UUID create(BatchPlan plan, ReprocessRequest request, Requester requester) throws SQLException {
        UUID id = UUID.randomUUID();
        Map<String, Object> selection = selection(request);
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                try (PreparedStatement s = c.prepareStatement("""
                        insert into reprocess_batches (id, requested_by, reason, model_package, model_name, model_version, selection,
                                                       state, created_at)
                        values (?, ?, ?, ?, ?, ?, ?::jsonb, 'running', clock_timestamp())""")) {
                    s.setObject(1, id);
                    s.setString(2, requester.user());
                    s.setString(3, request.reason().trim());
                    s.setString(4, plan.modelPackage());
                    s.setString(5, plan.modelName());
                    s.setString(6, plan.modelVersion());
                    s.setString(7, new String(QueueRecords.toJson(selection), StandardCharsets.UTF_8));
                    s.executeUpdate();
                }
                List<String> jobIds = new ArrayList<>();
                for (BatchPlan.PlannedSeries series : plan.series()) {
                    long seriesId = series.seriesId() != 0 ? series.seriesId() : record(c, series);
                    jobIds.add(jobs.create(c, seriesId, series.seriesVersion(), series.route(), plan.modelPackage(),
                            JobState.COMPLETE, "reprocessing batch " + id, id).toString());
                }
                Map<String, Object> details = new LinkedHashMap<>();
                details.put("batchId", id.toString());
                details.put("reason", request.reason().trim());
                details.put("model", plan.modelName());
                details.put("modelVersion", plan.modelVersion());
                details.put("modelPackage", plan.modelPackage());
                details.put("selection", selection);
                details.put("jobs", jobIds);
                details.put("series", plan.series().stream().map(BatchPlan.PlannedSeries::seriesInstanceUid).toList());
                audit.append(c, new AuditEvent("reprocess.requested", requester.user(), requester.address(), null, "accepted", details));
                c.commit();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        }
        return id;
    }

    /**
     * Records a series the gateway never received, as complete and without instances (they arrive by retrieval), from the
     * PACS it will be retrieved from; an existing row (the series arrived meanwhile) is taken as it is.
     */
    private long record(Connection c, BatchPlan.PlannedSeries series) throws SQLException {
        String pacsAeTitle = config.reprocess().retrieveFrom().map(name -> config.destinations().get(name))
                .map(GatewayConfig.Destination::aeTitle).orElse("PACS");
        try (PreparedStatement s = c.prepareStatement("""
                insert into series (series_instance_uid, study_instance_uid, calling_ae_title, instance_count, version, state,
                                    first_received_at, last_received_at, completed_at)
                values (?, ?, ?, 0, 1, 'complete', clock_timestamp(), clock_timestamp(), clock_timestamp())
                on conflict (series_instance_uid) do update set series_instance_uid = excluded.series_instance_uid
                returning id""")) {
            s.setString(1, series.seriesInstanceUid());
            s.setString(2, series.studyInstanceUid());
            s.setString(3, pacsAeTitle);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /** A dry run: nothing is created, but who looked at what is recorded ({@code reprocess.dry-run}). */
    public void auditDryRun(BatchPlan plan, ReprocessRequest request, Requester requester) throws SQLException {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("reason", request.reason().trim());
        details.put("model", plan.modelName());
        details.put("modelVersion", plan.modelVersion());
        details.put("selection", selection(request));
        details.put("series", plan.series().stream().map(BatchPlan.PlannedSeries::seriesInstanceUid).toList());
        audit.append(new AuditEvent("reprocess.dry-run", requester.user(), requester.address(), null, "success", details));
    }

    /**
     * Cancels a running batch: its jobs not yet on the queue become 'cancelled'; those on the queue finish. Empty when
     * there is no such batch; {@link IllegalStateException} when it is no longer running.
     */
    public Optional<BatchProgress> cancel(UUID id, Requester requester) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                String state;
                try (PreparedStatement s = c.prepareStatement("select state from reprocess_batches where id = ? for update")) {
                    s.setObject(1, id);
                    try (ResultSet rs = s.executeQuery()) {
                        if (!rs.next()) {
                            c.rollback();
                            return Optional.empty();
                        }
                        state = rs.getString(1);
                    }
                }
                if (!"running".equals(state)) {
                    c.rollback();
                    throw new IllegalStateException("batch " + id + " is " + state + ", not running");
                }
                try (PreparedStatement s = c.prepareStatement(
                        "update reprocess_batches set state = 'cancelled', finished_at = clock_timestamp(), cancelled_by = ? where id = ?")) {
                    s.setString(1, requester.user());
                    s.setObject(2, id);
                    s.executeUpdate();
                }
                int cancelled;
                try (PreparedStatement s = c.prepareStatement("""
                        update jobs set state = 'cancelled', reason = ?, updated_at = clock_timestamp(), finished_at = clock_timestamp()
                        where batch_id = ? and state = 'complete'""")) {
                    s.setString(1, "batch cancelled by " + requester.user());
                    s.setObject(2, id);
                    cancelled = s.executeUpdate();
                }
                audit.append(c, new AuditEvent("reprocess.cancelled", requester.user(), requester.address(), null, "cancelled",
                        Map.of("batchId", id.toString(), "jobsCancelled", cancelled)));
                c.commit();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        }
        return progress(id);
    }

    /** Batch jobs on the queue or on a worker now, over all batches. */
    public int inFlight() throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(
                "select count(*) from jobs where batch_id is not null and state in ('queued', 'running')")) {
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }

    /** Live jobs waiting for a worker: completed but not on the queue yet, or on the queue. */
    public int liveWaiting() throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(
                "select count(*) from jobs where batch_id is null and state in ('complete', 'queued')")) {
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }

    /** The next batch jobs to queue, oldest batch first, leaving out {@code notNow}. */
    public List<PendingJob> waiting(Set<UUID> notNow, int limit) throws SQLException {
        List<PendingJob> pending = new ArrayList<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement("""
                select j.id, s.id, s.series_instance_uid, s.study_instance_uid, j.series_version, j.model_package
                from jobs j join series s on s.id = j.series_id join reprocess_batches b on b.id = j.batch_id
                where j.state = 'complete' and b.state = 'running' and not (j.id = any(?))
                order by b.created_at, j.created_at, j.id limit ?""")) {
            s.setArray(1, c.createArrayOf("uuid", notNow.toArray()));
            s.setInt(2, limit);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next())
                    pending.add(new PendingJob(rs.getObject(1, UUID.class), rs.getLong(2), rs.getString(3), rs.getString(4),
                            rs.getInt(5), rs.getString(6)));
            }
        }
        return pending;
    }

    /** Marks running batches whose jobs have all finished 'done', audited ({@code reprocess.finished}); returns them. */
    public List<UUID> finishCompleted() throws SQLException {
        List<UUID> finished = new ArrayList<>();
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                try (PreparedStatement s = c.prepareStatement("""
                        update reprocess_batches b set state = 'done', finished_at = clock_timestamp()
                        where b.state = 'running' and not exists (select 1 from jobs j where j.batch_id = b.id
                                                                 and j.state in ('complete', 'queued', 'running'))
                        returning b.id, b.requested_by,
                                  (select count(*) from jobs j where j.batch_id = b.id and j.state = 'done'),
                                  (select count(*) from jobs j where j.batch_id = b.id and j.state = 'failed')""");
                     ResultSet rs = s.executeQuery()) {
                    while (rs.next()) {
                        UUID id = rs.getObject(1, UUID.class);
                        finished.add(id);
                        audit.append(c, new AuditEvent("reprocess.finished", JobAudit.ACTOR, null, null, "done",
                                Map.of("batchId", id.toString(), "requestedBy", rs.getString(2), "done", rs.getInt(3),
                                        "failed", rs.getInt(4))));
                    }
                }
                c.commit();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        }
        return finished;
    }

    public Optional<BatchProgress> progress(UUID id) throws SQLException {
        List<BatchProgress> found = query("where b.id = ?", id, 1, true);
        return found.stream().findFirst();
    }

    /** The most recent batches, without their job lists. */
    public List<BatchProgress> recent(int limit) throws SQLException {
        return query("", null, limit, false);
    }

    private List<BatchProgress> query(String where, UUID id, int limit, boolean withJobs) throws SQLException {
        List<BatchProgress> batches = new ArrayList<>();
        try (Connection c = dataSource.getConnection()) {
            try (PreparedStatement s = c.prepareStatement("""
                    select b.id, b.state, b.requested_by, b.reason, b.model_package, b.model_name, b.model_version, b.created_at,
                           b.finished_at, b.cancelled_by,
                           count(j.id),
                           count(j.id) filter (where j.state = 'complete'),
                           count(j.id) filter (where j.state = 'queued'),
                           count(j.id) filter (where j.state = 'running'),
                           count(j.id) filter (where j.state = 'done'),
                           count(j.id) filter (where j.state = 'failed'),
                           count(j.id) filter (where j.state = 'cancelled'),
                           min(j.queued_at), max(j.finished_at) filter (where j.state in ('done', 'failed'))
                    from reprocess_batches b left join jobs j on j.batch_id = b.id
                    """ + where + " group by b.id order by b.created_at desc limit ?")) {
                int i = 1;
                if (id != null) s.setObject(i++, id);
                s.setInt(i, limit);
                try (ResultSet rs = s.executeQuery()) {
                    while (rs.next()) {
                        UUID batchId = rs.getObject(1, UUID.class);
                        int queued = rs.getInt(13), running = rs.getInt(14), done = rs.getInt(15), failed = rs.getInt(16);
                        int waiting = rs.getInt(12);
                        Long eta = eta(rs.getString(2), rs.getTimestamp(18), rs.getTimestamp(19), done + failed, waiting + queued + running);
                        batches.add(new BatchProgress(batchId, rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
                                rs.getString(6), rs.getString(7), instant(rs.getTimestamp(8)), instant(rs.getTimestamp(9)),
                                rs.getString(10), rs.getInt(11), waiting, queued, running, done, failed, rs.getInt(17), eta,
                                withJobs ? jobs(c, batchId) : List.of()));
                    }
                }
            }
        }
        return batches;
    }

    private static Long eta(String state, Timestamp firstQueued, Timestamp lastFinished, int finished, int left) {
        if (!"running".equals(state) || firstQueued == null || lastFinished == null || finished == 0) return null;
        Duration perJob = Duration.between(firstQueued.toInstant(), lastFinished.toInstant()).dividedBy(finished);
        return perJob.multipliedBy(left).toSeconds();
    }

    private static List<BatchJob> jobs(Connection c, UUID batchId) throws SQLException {
        List<BatchJob> list = new ArrayList<>();
        try (PreparedStatement s = c.prepareStatement("""
                select j.id, s.study_instance_uid, s.series_instance_uid, j.state, j.reason,
                       extract(epoch from (j.finished_at - j.queued_at))::float8, r.version, r.seg_series_instance_uid,
                       r.seg_sop_instance_uid
                from jobs j join series s on s.id = j.series_id left join results r on r.job_id = j.id
                where j.batch_id = ? order by j.created_at, j.id""")) {
            s.setObject(1, batchId);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next())
                    list.add(new BatchJob(rs.getObject(1, UUID.class), rs.getString(2), rs.getString(3), rs.getString(4),
                            rs.getString(5), (Double) rs.getObject(6), (Integer) rs.getObject(7), rs.getString(8), rs.getString(9)));
            }
        }
        return list;
    }

    private static Map<String, Object> selection(ReprocessRequest request) {
        Map<String, Object> selection = new LinkedHashMap<>();
        if (!request.studyUidsOrEmpty().isEmpty()) selection.put("studyUids", request.studyUidsOrEmpty());
        if (request.from() != null) selection.put("from", request.from());
        if (request.to() != null) selection.put("to", request.to());
        if (request.route() != null) selection.put("route", request.route());
        if (request.previousModel() != null) selection.put("previousModel", request.previousModel());
        return selection;
    }

    private static Instant instant(Timestamp t) {
        return t == null ? null : t.toInstant();
    }
}
