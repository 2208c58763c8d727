package org.seggateway.gateway.api;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import javax.sql.DataSource;
import org.seggateway.gateway.jobs.JobState;
import org.seggateway.gateway.jobs.JobWarning;

/** Reads jobs with their series, result and deliveries for the REST API. */
@ApplicationScoped
public class JobQueries {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SELECT = """
            select j.id, s.series_instance_uid, s.study_instance_uid, j.series_version, j.route_name, j.model_package,
                   j.model_name, j.model_version, j.state, j.reason, j.attempts,
                   s.first_received_at, s.last_received_at, j.created_at, j.queued_at, j.started_at, j.finished_at,
                   j.stage_seconds::text,
                   r.id, r.version, r.seg_sop_instance_uid, r.seg_series_instance_uid, r.frame_count, r.segment_count, r.created_at,
                   j.volume_warnings, r.labels_left_out
            from jobs j join series s on s.id = j.series_id left join results r on r.job_id = j.id
            """;

    private final DataSource dataSource;

    JobQueries(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    public JobPage page(Optional<JobState> state, int page, int size) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            long total;
            try (PreparedStatement s = c.prepareStatement("select count(*) from jobs where ?::varchar is null or state = ?")) {
                String column = state.map(JobState::column).orElse(null);
                s.setString(1, column);
                s.setString(2, column);
                try (ResultSet rs = s.executeQuery()) {
                    rs.next();
                    total = rs.getLong(1);
                }
            }
            List<JobView> jobs = new ArrayList<>();
            try (PreparedStatement s = c.prepareStatement(SELECT
                    + " where ?::varchar is null or j.state = ? order by j.created_at desc, j.id limit ? offset ?")) {
                String column = state.map(JobState::column).orElse(null);
                s.setString(1, column);
                s.setString(2, column);
                s.setInt(3, size);
                s.setLong(4, (long) page * size);
                try (ResultSet rs = s.executeQuery()) {
                    while (rs.next()) jobs.add(view(rs, null));
                }
            }
            return new JobPage(page, size, total, jobs);
        }
    }

    public Optional<JobView> job(UUID id) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(SELECT + " where j.id = ?")) {
            s.setObject(1, id);
            try (ResultSet rs = s.executeQuery()) {
                if (!rs.next()) return Optional.empty();
                long resultId = rs.getLong(19);
                List<JobView.Delivery> deliveries = rs.wasNull() ? List.of() : deliveries(c, resultId);
                return Optional.of(view(rs, deliveries));
            }
        }
    }

    private static List<JobView.Delivery> deliveries(Connection c, long resultId) throws SQLException {
        List<JobView.Delivery> list = new ArrayList<>();
        try (PreparedStatement s = c.prepareStatement("""
                select destination, state, attempts, next_attempt_at, last_error, delivered_at
                from deliveries where result_id = ? order by destination""")) {
            s.setLong(1, resultId);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next())
                    list.add(new JobView.Delivery(rs.getString(1), rs.getString(2), rs.getInt(3), instant(rs.getTimestamp(4)),
                            rs.getString(5), instant(rs.getTimestamp(6))));
            }
        }
        return list;
    }

    private static JobView view(ResultSet rs, List<JobView.Delivery> deliveries) throws SQLException {
        JobView.Timings timings = new JobView.Timings(instant(rs.getTimestamp(12)), instant(rs.getTimestamp(13)),
                instant(rs.getTimestamp(14)), instant(rs.getTimestamp(15)), instant(rs.getTimestamp(16)),
                instant(rs.getTimestamp(17)), stageSeconds(rs.getString(18)));
        rs.getLong(19);
        JobView.Result result = rs.wasNull() ? null : new JobView.Result(rs.getInt(20), rs.getString(21), rs.getString(22),
                rs.getInt(23), rs.getInt(24), instant(rs.getTimestamp(25)));
        return new JobView(rs.getObject(1, UUID.class), rs.getString(2), rs.getString(3), rs.getInt(4), rs.getString(5),
                new JobView.Model(rs.getString(6), rs.getString(7), rs.getString(8)), rs.getString(9), rs.getString(10),
                rs.getInt(11), JobWarning.of(rs.getArray(26), rs.getArray(27)), timings, result, deliveries);
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
