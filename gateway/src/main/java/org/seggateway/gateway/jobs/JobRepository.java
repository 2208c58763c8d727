package org.seggateway.gateway.jobs;

import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;
import org.seggateway.inference.queue.QueueRecords;

/** Job rows: creation at series completion and every later change of state. */
@ApplicationScoped
public class JobRepository {
    private final DataSource dataSource;

    JobRepository(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** A job waiting to be queued: what the dispatcher needs to assemble and publish it. */
    public record PendingJob(UUID id, long seriesId, String seriesInstanceUid, String studyInstanceUid, int seriesVersion,
                             String modelPackage) {
    }

    public UUID create(Connection c, long seriesId, int seriesVersion, String route, String modelReference, JobState state,
                       String reason) throws SQLException {
        return create(c, seriesId, seriesVersion, route, modelReference, state, reason, null);
    }

    /** A job of a reprocessing batch when {@code batchId} is set. */
    public UUID create(Connection c, long seriesId, int seriesVersion, String route, String modelReference, JobState state,
                       String reason, UUID batchId) throws SQLException {
        UUID id = UUID.randomUUID();
        Timestamp now = Timestamp.from(Instant.now());
        try (PreparedStatement s = c.prepareStatement("""
                insert into jobs (id, series_id, series_version, route_name, model_package, state, reason, created_at, updated_at,
                                  batch_id)
                values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""")) {
            s.setObject(1, id);
            s.setLong(2, seriesId);
            s.setInt(3, seriesVersion);
            s.setString(4, route);
            s.setString(5, modelReference);
            s.setString(6, state.column());
            s.setString(7, reason);
            s.setTimestamp(8, now);
            s.setTimestamp(9, now);
            s.setObject(10, batchId);
            s.executeUpdate();
        }
        return id;
    }

    /** Jobs of completed series not yet on the queue (also those left by a restart); batch jobs are the batch dispatcher's. */
    public List<PendingJob> awaitingQueue(int limit) throws SQLException {
        List<PendingJob> jobs = new ArrayList<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement("""
                select j.id, s.id, s.series_instance_uid, s.study_instance_uid, j.series_version, j.model_package
                from jobs j join series s on s.id = j.series_id
                where j.state = 'complete' and j.batch_id is null order by j.created_at limit ?""")) {
            s.setInt(1, limit);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next())
                    jobs.add(new PendingJob(rs.getObject(1, UUID.class), rs.getLong(2), rs.getString(3), rs.getString(4),
                            rs.getInt(5), rs.getString(6)));
            }
        }
        return jobs;
    }

    /** Moves a job from one state to the next; false when it was not in {@code from} (someone else moved it). */
    public boolean transition(UUID id, JobState from, JobState to, String reason, Map<String, Double> stageSeconds) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            return transition(c, id, from, to, reason, stageSeconds);
        }
    }

    public boolean transition(Connection c, UUID id, JobState from, JobState to, String reason, Map<String, Double> stageSeconds)
            throws SQLException {
        return transition(c, id, java.util.Set.of(from), to, reason, stageSeconds);
    }

    /** Moves a job from any of the states {@code from} to {@code to}; false when it was in none of them. */
    public boolean transition(Connection c, UUID id, java.util.Set<JobState> from, JobState to, String reason,
                              Map<String, Double> stageSeconds) throws SQLException {
        // clock_timestamp(), not now(): now() is when the transaction began, which for the dispatcher is before the
        // volume was assembled and published, and for the result handler before the SEG was built
        String stamp = switch (to) {
            case QUEUED -> ", queued_at = clock_timestamp()";
            case RUNNING -> ", started_at = coalesce(started_at, clock_timestamp())";
            case DONE, FAILED, SKIPPED, CANCELLED -> ", finished_at = clock_timestamp()";
            default -> "";
        };
        try (PreparedStatement s = c.prepareStatement("update jobs set state = ?, updated_at = clock_timestamp(), reason = coalesce(?, reason),"
                + " stage_seconds = stage_seconds || ?::jsonb" + stamp + " where id = ? and state = any(?)")) {
            s.setString(1, to.column());
            s.setString(2, reason);
            s.setString(3, new String(QueueRecords.toJson(stageSeconds == null ? Map.of() : stageSeconds), java.nio.charset.StandardCharsets.UTF_8));
            s.setObject(4, id);
            s.setArray(5, c.createArrayOf("varchar", from.stream().map(JobState::column).toArray()));
            return s.executeUpdate() == 1;
        }
    }

    /**
     * Records that a job is on the queue: the model identity read from its package, the instances its
     * volume was assembled from, one more attempt and the gateway's stage times.
     */
    public boolean markQueued(Connection c, UUID id, String modelName, String modelVersion, List<Long> sourceInstanceIds,
                              Map<String, Double> stageSeconds) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(
                "update jobs set model_name = ?, model_version = ?, source_instance_ids = ? where id = ?")) {
            s.setString(1, modelName);
            s.setString(2, modelVersion);
            s.setArray(3, c.createArrayOf("bigint", sourceInstanceIds.toArray()));
            s.setObject(4, id);
            s.executeUpdate();
        }
        countAttempt(c, id);
        return transition(c, id, JobState.COMPLETE, JobState.QUEUED, null, stageSeconds);
    }

    /**
     * What the volume reader repaired in the job's series when it was queued (replacing those of an earlier queuing),
     * without the "series UID: " each warning starts with, since the job names its series.
     */
    public void recordVolumeWarnings(Connection c, UUID id, String seriesInstanceUid, List<String> warnings) throws SQLException {
        String prefix = "series " + seriesInstanceUid + ": ";
        try (PreparedStatement s = c.prepareStatement("update jobs set volume_warnings = ? where id = ?")) {
            s.setArray(1, c.createArrayOf("text", warnings.stream().map(w -> w.startsWith(prefix) ? w.substring(prefix.length()) : w)
                    .toArray()));
            s.setObject(2, id);
            s.executeUpdate();
        }
    }

    /** Adds 1 to a job's attempt counter (each time it is put on the queue). */
    public void countAttempt(Connection c, UUID id) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("update jobs set attempts = attempts + 1 where id = ?")) {
            s.setObject(1, id);
            s.executeUpdate();
        }
    }
}
