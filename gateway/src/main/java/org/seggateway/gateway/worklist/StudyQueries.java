package org.seggateway.gateway.worklist;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import javax.sql.DataSource;
import org.seggateway.gateway.jobs.JobWarning;

/** Reads studies with their series, jobs, results and deliveries for the worklist API. */
@ApplicationScoped
public class StudyQueries {
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * One row per study with its status (labels of {@link StudyStatus}); judged on the latest job of each series and
     * model package, so that a job superseded by a rerun no longer counts (a cancelled batch job never counts).
     */
    private static final String SUMMARIES = """
            with latest_job as (
                select distinct on (j.series_id, coalesce(j.model_package, j.route_name, '')) j.id, j.series_id, j.state
                from jobs j where j.state <> 'cancelled'
                order by j.series_id, coalesce(j.model_package, j.route_name, ''), j.created_at desc, j.id
            ), study as (
                select s.study_instance_uid as uid, max(s.accession_number) as accession, max(s.patient_id) as patient_id,
                       min(s.first_received_at) as first_received, max(s.last_received_at) as last_received,
                       bool_or(s.state = 'receiving') as receiving
                from series s group by s.study_instance_uid
            ), progress as (
                select s.study_instance_uid as uid,
                       count(distinct j.id) as jobs,
                       count(distinct j.id) filter (where j.state in ('received', 'complete', 'queued', 'running')) as active,
                       count(distinct j.id) filter (where j.state = 'failed') as failed_jobs,
                       count(d.id) filter (where d.state = 'pending') as pending,
                       count(d.id) filter (where d.state = 'failed') as failed_deliveries,
                       count(d.id) filter (where d.state = 'delivered') as delivered
                from series s join latest_job j on j.series_id = s.id
                     left join results r on r.job_id = j.id left join deliveries d on d.result_id = r.id
                group by s.study_instance_uid
            ), summary as (
                select st.*, case
                           when coalesce(p.failed_jobs, 0) + coalesce(p.failed_deliveries, 0) > 0 then 'failed'
                           when st.receiving then 'receiving'
                           when coalesce(p.active, 0) > 0 then 'processing'
                           when coalesce(p.pending, 0) > 0 then 'delivering'
                           when coalesce(p.delivered, 0) > 0 then 'delivered'
                           when coalesce(p.jobs, 0) > 0 then 'done'
                           else 'no-job' end as status
                from study st left join progress p on p.uid = st.uid
            )
            select uid, accession, patient_id, status, first_received, last_received, count(*) over () as total
            from summary
            where (?::varchar is null or accession = ?)
              and (?::varchar is null or patient_id = ?)
              and (?::varchar is null or uid = ?)
              and (?::timestamptz is null or last_received >= ?)
              and (?::timestamptz is null or first_received < ?)
              and (?::varchar is null or status = ?)
            """;

    private static final String DETAILS = """
            select s.study_instance_uid, s.series_instance_uid, s.modality, s.body_part_examined, s.series_description,
                   s.instance_count, s.version, s.state, s.first_received_at, s.last_received_at, s.completed_at,
                   j.id, j.series_version, j.route_name, j.model_package, j.model_name, j.model_version, j.state, j.reason,
                   j.attempts, j.batch_id, j.created_at, j.queued_at, j.started_at, j.finished_at, j.stage_seconds::text,
                   r.id, r.version, r.seg_sop_instance_uid, r.seg_series_instance_uid, r.frame_count, r.segment_count, r.created_at,
                   d.destination, d.state, d.attempts, d.next_attempt_at, d.last_error, d.delivered_at,
                   j.volume_warnings, r.labels_left_out
            from series s left join jobs j on j.series_id = s.id
                 left join results r on r.job_id = j.id left join deliveries d on d.result_id = r.id
            where s.study_instance_uid = any (?)
            order by s.first_received_at, s.series_instance_uid, j.created_at desc, j.id, d.destination
            """;

    private final DataSource dataSource;

    StudyQueries(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** The studies that pass {@code filter}, most recently received first. */
    public StudyPage page(StudyFilter filter, int page, int size) throws SQLException {
        try (Connection c = dataSource.getConnection();
             PreparedStatement s = c.prepareStatement(SUMMARIES + " order by last_received desc, uid limit ? offset ?")) {
            int i = bind(s, filter);
            s.setInt(i++, size);
            s.setLong(i, (long) page * size);
            List<Summary> summaries = new ArrayList<>();
            long total = 0;
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    summaries.add(new Summary(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                            instant(rs.getTimestamp(5)), instant(rs.getTimestamp(6))));
                    total = rs.getLong(7);
                }
            }
            if (summaries.isEmpty() && page > 0) total = count(c, filter);
            return new StudyPage(page, size, total, details(c, summaries));
        }
    }

    /** One study with everything the worklist knows of it. */
    public Optional<StudyView> study(String studyInstanceUid) throws SQLException {
        StudyPage one = page(new StudyFilter(null, null, studyInstanceUid, null, null, null), 0, 1);
        return one.studies().stream().findFirst();
    }

    /** The number of studies that pass; for a page past the end, which has no row to carry the window count. */
    private static long count(Connection c, StudyFilter filter) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("select count(*) from (" + SUMMARIES + ") counted")) {
            bind(s, filter);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /** Sets the filter's parameters of {@link #SUMMARIES}; returns the next parameter index. */
    private static int bind(PreparedStatement s, StudyFilter filter) throws SQLException {
        int i = 1;
        for (Object value : new Object[] {filter.accessionNumber(), filter.patientId(), filter.studyInstanceUid(),
                timestamp(filter.from()), timestamp(filter.to()), filter.status() == null ? null : filter.status().label()}) {
            s.setObject(i++, value);
            s.setObject(i++, value);
        }
        return i;
    }

    private record Summary(String uid, String accession, String patientId, String status, Instant firstReceived,
                           Instant lastReceived) {}

    private static List<StudyView> details(Connection c, List<Summary> summaries) throws SQLException {
        if (summaries.isEmpty()) return List.of();
        Map<String, Map<String, SeriesRows>> seriesByStudy = new LinkedHashMap<>();
        summaries.forEach(st -> seriesByStudy.put(st.uid(), new LinkedHashMap<>()));
        try (PreparedStatement s = c.prepareStatement(DETAILS)) {
            Array uids = c.createArrayOf("varchar", seriesByStudy.keySet().toArray());
            s.setArray(1, uids);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    Map<String, SeriesRows> seriesOfStudy = seriesByStudy.get(rs.getString(1));
                    SeriesRows series = seriesOfStudy.get(rs.getString(2));
                    if (series == null) seriesOfStudy.put(rs.getString(2), series = new SeriesRows(rs));
                    series.add(rs);
                }
            }
        }
        List<StudyView> studies = new ArrayList<>();
        for (Summary st : summaries)
            studies.add(new StudyView(st.uid(), st.accession(), st.patientId(), st.status(), st.firstReceived(), st.lastReceived(),
                    seriesByStudy.get(st.uid()).values().stream().map(SeriesRows::view).toList()));
        return studies;
    }

    /** The rows of one series while they are read: its jobs, each with its result and deliveries. */
    private static final class SeriesRows {
        private final StudyView.Series head;
        private final Map<UUID, JobRows> jobs = new LinkedHashMap<>();

        SeriesRows(ResultSet rs) throws SQLException {
            head = new StudyView.Series(rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5), rs.getInt(6),
                    rs.getInt(7), rs.getString(8), instant(rs.getTimestamp(9)), instant(rs.getTimestamp(10)),
                    instant(rs.getTimestamp(11)), List.of());
        }

        void add(ResultSet rs) throws SQLException {
            UUID jobId = rs.getObject(12, UUID.class);
            if (jobId == null) return;
            JobRows job = jobs.get(jobId);
            if (job == null) jobs.put(jobId, job = new JobRows(rs));
            if (rs.getString(34) != null)
                job.deliveries.add(new StudyView.Delivery(rs.getString(34), rs.getString(35), rs.getInt(36),
                        instant(rs.getTimestamp(37)), rs.getString(38), instant(rs.getTimestamp(39))));
        }

        StudyView.Series view() {
            return new StudyView.Series(head.seriesInstanceUid(), head.modality(), head.bodyPartExamined(),
                    head.seriesDescription(), head.instanceCount(), head.version(), head.state(), head.firstReceived(),
                    head.lastReceived(), head.completed(), jobs.values().stream().map(JobRows::view).toList());
        }
    }

    private static final class JobRows {
        private final StudyView.Job head;
        private final StudyView.Result result;
        private final List<StudyView.Delivery> deliveries = new ArrayList<>();

        JobRows(ResultSet rs) throws SQLException {
            head = new StudyView.Job(rs.getObject(12, UUID.class), rs.getInt(13), rs.getString(14),
                    new StudyView.Model(rs.getString(15), rs.getString(16), rs.getString(17)), rs.getString(18),
                    rs.getString(19), rs.getInt(20), rs.getObject(21, UUID.class), JobWarning.of(rs.getArray(40), rs.getArray(41)),
                    new StudyView.Timings(instant(rs.getTimestamp(22)), instant(rs.getTimestamp(23)), instant(rs.getTimestamp(24)),
                            instant(rs.getTimestamp(25)), stageSeconds(rs.getString(26))), null);
            rs.getLong(27);
            result = rs.wasNull() ? null : new StudyView.Result(rs.getInt(28), rs.getString(29), rs.getString(30), rs.getInt(31),
                    rs.getInt(32), instant(rs.getTimestamp(33)), List.of());
        }

        StudyView.Job view() {
            StudyView.Result withDeliveries = result == null ? null : new StudyView.Result(result.version(),
                    result.segSopInstanceUid(), result.segSeriesInstanceUid(), result.frameCount(), result.segmentCount(),
                    result.created(), List.copyOf(deliveries));
            return new StudyView.Job(head.id(), head.seriesVersion(), head.route(), head.model(), head.state(), head.reason(),
                    head.attempts(), head.batchId(), head.warnings(), head.timings(), withDeliveries);
        }
    }

    private static Map<String, Double> stageSeconds(String json) throws SQLException {
        try {
            return json == null ? Map.of() : JSON.readValue(json, new TypeReference<Map<String, Double>>() {});
        } catch (IOException e) {
            throw new SQLException("jobs.stage_seconds is not a JSON object of numbers: " + json, e);
        }
    }

    private static Timestamp timestamp(Instant t) {
        return t == null ? null : Timestamp.from(t);
    }

    private static Instant instant(Timestamp t) {
        return t == null ? null : t.toInstant();
    }
}
