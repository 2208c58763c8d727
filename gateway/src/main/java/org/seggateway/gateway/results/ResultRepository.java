package org.seggateway.gateway.results;

import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Array;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.PreparedBatch;
import org.seggateway.gateway.jobs.JobState;

/** The SQL of results: the job a result answers, the {@code results} row and its pending {@code deliveries}. */
@ApplicationScoped
public class ResultRepository {

    /** A job as a result header finds it. {@code sourceInstanceIds}: null while the dispatcher has not recorded them. */
    public record JobRow(UUID jobId, long seriesId, String seriesInstanceUid, String routeName, String modelPackage,
                         String modelName, String modelVersion, List<Long> sourceInstanceIds, JobState state,
                         boolean resultStored) {
    }

    /** A built SEG to record; the measurement report's fields null when none was written. */
    public record NewResult(UUID jobId, int version, String segSopInstanceUid, String segSeriesInstanceUid, String segPath,
                            int frameCount, int segmentCount, Instant createdAt, List<String> labelsLeftOut,
                            String segmentStatisticsJson, String srSopInstanceUid, String srSeriesInstanceUid, String srPath) {
    }

    /** The job and whether a result is stored; "for share" waits while a dispatcher that has just published the job holds its row. */
    public Optional<JobRow> jobOfResult(Handle h, UUID jobId) {
        return h.createQuery("""
                        select j.id, j.series_id, s.series_instance_uid, j.route_name, j.model_package, j.model_name,
                               j.model_version, j.source_instance_ids, j.state,
                               exists (select 1 from results r where r.job_id = j.id) as result_stored
                        from jobs j join series s on s.id = j.series_id where j.id = :id for share of j""")
                .bind("id", jobId)
                .map((rs, ctx) -> new JobRow(rs.getObject("id", UUID.class), rs.getLong("series_id"),
                        rs.getString("series_instance_uid"), rs.getString("route_name"), rs.getString("model_package"),
                        rs.getString("model_name"), rs.getString("model_version"), longs(rs.getArray("source_instance_ids")),
                        state(rs.getString("state")), rs.getBoolean("result_stored")))
                .findOne();
    }

    /** Locks the job row (waiting for a dispatcher still marking it); false when there is no such job. */
    public boolean lockJob(Handle h, UUID jobId) {
        return h.createQuery("select 1 from jobs where id = :id for update").bind("id", jobId).mapTo(Integer.class).findOne()
                .isPresent();
    }

    /** The job's state and whether it has a result; a new statement sees what was committed while a lock was awaited. */
    public boolean awaitsResult(Handle h, UUID jobId, Set<JobState> awaiting) {
        return h.createQuery("""
                        select j.state, exists (select 1 from results r where r.job_id = j.id) as result_stored
                        from jobs j where j.id = :id""")
                .bind("id", jobId)
                .map((rs, ctx) -> awaiting.contains(state(rs.getString("state"))) && !rs.getBoolean("result_stored"))
                .one();
    }

    /** The version the next result of the job's series and model gets. */
    public int nextVersion(Handle h, long seriesId, String modelName) {
        return h.createQuery("""
                        select coalesce(max(r.version), 0) + 1 as next_version from results r join jobs j on j.id = r.job_id
                        where j.series_id = :seriesId and j.model_name is not distinct from :modelName""")
                .bind("seriesId", seriesId)
                .bind("modelName", modelName)
                .map((rs, ctx) -> rs.getInt("next_version"))
                .one();
    }

    /** Inserts the result row; returns its id. */
    public long insert(Handle h, NewResult r) {
        return h.createQuery("""
                        insert into results (job_id, version, seg_sop_instance_uid, seg_series_instance_uid, seg_path, frame_count,
                                             segment_count, created_at, labels_left_out, segment_statistics,
                                             sr_sop_instance_uid, sr_series_instance_uid, sr_path)
                        values (:jobId, :version, :segSopInstanceUid, :segSeriesInstanceUid, :segPath, :frameCount,
                                :segmentCount, :createdAt, :labelsLeftOut, cast(:segmentStatistics as jsonb),
                                :srSopInstanceUid, :srSeriesInstanceUid, :srPath) returning id""")
                .bind("jobId", r.jobId())
                .bind("version", r.version())
                .bind("segSopInstanceUid", r.segSopInstanceUid())
                .bind("segSeriesInstanceUid", r.segSeriesInstanceUid())
                .bind("segPath", r.segPath())
                .bind("frameCount", r.frameCount())
                .bind("segmentCount", r.segmentCount())
                .bind("createdAt", r.createdAt())
                .bindArray("labelsLeftOut", String.class, r.labelsLeftOut())
                .bind("segmentStatistics", r.segmentStatisticsJson())
                .bind("srSopInstanceUid", r.srSopInstanceUid())
                .bind("srSeriesInstanceUid", r.srSeriesInstanceUid())
                .bind("srPath", r.srPath())
                .map((rs, ctx) -> rs.getLong("id"))
                .one();
    }

    /** One pending delivery per destination, due now. */
    public void insertDeliveries(Handle h, long resultId, List<String> destinations) {
        PreparedBatch batch = h.prepareBatch(
                "insert into deliveries (result_id, destination, state, next_attempt_at) values (:resultId, :destination, 'pending', now())");
        for (String destination : destinations) batch.bind("resultId", resultId).bind("destination", destination).add();
        if (!destinations.isEmpty()) batch.execute();
    }

    private static List<Long> longs(Array array) throws SQLException {
        return array == null ? null : Arrays.stream((Long[]) array.getArray()).toList();
    }

    static JobState state(String column) {
        return JobState.valueOf(column.toUpperCase(Locale.ROOT));
    }
}
