package org.seggateway.gateway.api;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.seggateway.gateway.database.Transactions;
import org.seggateway.gateway.jobs.JobState;
import org.seggateway.gateway.jobs.JobWarning;
import org.seggateway.inference.queue.ExecutionDevice;
import org.seggateway.gateway.results.SegmentMeasurement;

/** Reads jobs with their series, result and deliveries for the REST API. */
@ApplicationScoped
public class JobQueries {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SELECT = """
            select j.id, s.series_instance_uid, s.study_instance_uid, j.series_version, j.route_name, j.model_package,
                   j.model_name, j.model_version, j.state, j.reason, j.attempts,
                   s.first_received_at, s.last_received_at, j.created_at, j.queued_at, j.started_at, j.finished_at,
                   j.stage_seconds::text as stage_seconds,
                   r.id as result_id, r.version as result_version, r.seg_sop_instance_uid, r.seg_series_instance_uid, r.frame_count,
                   r.segment_count, r.created_at as result_created_at, r.segment_statistics::text as segment_statistics,
                   r.sr_sop_instance_uid, r.sr_series_instance_uid, j.volume_warnings, r.labels_left_out, j.worker,
                   j.worker_device::text as worker_device
            from jobs j join series s on s.id = j.series_id left join results r on r.job_id = j.id
            """;

    private final Transactions transactions;

    JobQueries(Transactions transactions) {
        this.transactions = transactions;
    }

    public JobPage page(Optional<JobState> state, int page, int size) {
        String column = state.map(JobState::column).orElse(null);
        return transactions.withHandle(h -> {
            long total = h.createQuery("select count(*) from jobs where :state::varchar is null or state = :state")
                    .bind("state", column).mapTo(long.class).one();
            List<JobView> jobs = h.createQuery(SELECT
                            + " where :state::varchar is null or j.state = :state order by j.created_at desc, j.id limit :limit offset :offset")
                    .bind("state", column).bind("limit", size).bind("offset", (long) page * size)
                    .map((rs, ctx) -> view(rs, null)).list();
            return new JobPage(page, size, total, jobs);
        });
    }

    public Optional<JobView> job(UUID id) {
        return transactions.withHandle(h -> h.createQuery(SELECT + " where j.id = :id").bind("id", id)
                .map((rs, ctx) -> {
                    long resultId = rs.getLong("result_id");
                    List<JobView.Delivery> deliveries = rs.wasNull() ? List.of() : deliveries(h, resultId);
                    return view(rs, deliveries);
                })
                .findOne());
    }

    private static List<JobView.Delivery> deliveries(Handle h, long resultId) {
        return h.createQuery("""
                        select destination, state, attempts, next_attempt_at, last_error, delivered_at
                        from deliveries where result_id = :resultId order by destination""")
                .bind("resultId", resultId)
                .map((rs, ctx) -> new JobView.Delivery(rs.getString("destination"), rs.getString("state"), rs.getInt("attempts"),
                        instant(rs.getTimestamp("next_attempt_at")), rs.getString("last_error"), instant(rs.getTimestamp("delivered_at"))))
                .list();
    }

    private static JobView view(ResultSet rs, List<JobView.Delivery> deliveries) throws SQLException {
        JobView.Timings timings = new JobView.Timings(instant(rs.getTimestamp("first_received_at")),
                instant(rs.getTimestamp("last_received_at")), instant(rs.getTimestamp("created_at")),
                instant(rs.getTimestamp("queued_at")), instant(rs.getTimestamp("started_at")), instant(rs.getTimestamp("finished_at")),
                stageSeconds(rs.getString("stage_seconds")));
        rs.getLong("result_id");
        JobView.Result result = rs.wasNull() ? null : new JobView.Result(rs.getInt("result_version"), rs.getString("seg_sop_instance_uid"),
                rs.getString("seg_series_instance_uid"), rs.getInt("frame_count"), rs.getInt("segment_count"),
                instant(rs.getTimestamp("result_created_at")), SegmentMeasurement.fromJson(rs.getString("segment_statistics")),
                rs.getString("sr_sop_instance_uid"), rs.getString("sr_series_instance_uid"));
        return new JobView(rs.getObject("id", UUID.class), rs.getString("series_instance_uid"), rs.getString("study_instance_uid"),
                rs.getInt("series_version"), rs.getString("route_name"),
                new JobView.Model(rs.getString("model_package"), rs.getString("model_name"), rs.getString("model_version")),
                rs.getString("state"), rs.getString("reason"), rs.getInt("attempts"),
                JobWarning.of(rs.getArray("volume_warnings"), rs.getArray("labels_left_out")), timings, result, deliveries,
                worker(rs.getString("worker"), rs.getString("worker_device")));
    }

    private static JobView.Worker worker(String id, String deviceJson) throws SQLException {
        if (id == null) return null;
        if (deviceJson == null) return new JobView.Worker(id, null, null, null, null);
        try {
            ExecutionDevice d = JSON.readerFor(ExecutionDevice.class)
                    .without(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).readValue(deviceJson);
            return new JobView.Worker(id, d.provider(), d.gpu(), d.gpuMemoryBytes(), d.cuda());
        } catch (IOException e) {
            throw new SQLException("jobs.worker_device is not a device object: " + deviceJson, e);
        }
    }

    private static Map<String, Double> stageSeconds(String json) throws SQLException {
        try {
            return json == null ? Map.of() : JSON.readValue(json, new TypeReference<Map<String, Double>>() {});
        } catch (IOException e) {
            throw new SQLException("jobs.stage_seconds is not a JSON object of numbers: " + json, e);
        }
    }

    private static Instant instant(Timestamp t) {
        return t == null ? null : t.toInstant();
    }
}
