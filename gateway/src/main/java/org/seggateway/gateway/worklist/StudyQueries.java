package org.seggateway.gateway.worklist;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.Query;
import org.seggateway.gateway.database.Transactions;
import org.seggateway.gateway.jobs.JobWarning;
import org.seggateway.gateway.results.SegmentMeasurement;

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
                select distinct on (j.series_id, coalesce(j.model_package, j.route_name, '')) j.id, j.series_id, j.state,
                       j.model_name, j.model_version, j.model_package, j.route_name, j.updated_at, j.volume_warnings
                from jobs j where j.state <> 'cancelled'
                order by j.series_id, coalesce(j.model_package, j.route_name, ''), j.created_at desc, j.id
            ), study as (
                select s.study_instance_uid as uid, max(s.accession_number) as accession, max(s.patient_id) as patient_id,
                       max(s.patient_name) as patient_name, max(s.study_date) as study_date,
                       max(s.study_description) as study_description,
                       array_agg(distinct s.modality order by s.modality) filter (where s.modality is not null) as modalities,
                       array_agg(distinct s.body_part_examined order by s.body_part_examined)
                           filter (where s.body_part_examined is not null) as body_parts,
                       array_agg(distinct upper(s.modality)) filter (where s.modality is not null) as modality_set,
                       array_agg(distinct upper(s.body_part_examined)) filter (where s.body_part_examined is not null) as body_part_set,
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
                       count(d.id) filter (where d.state = 'delivered') as delivered,
                       greatest(max(j.updated_at), max(d.delivered_at)) as ai_time,
                       array_agg(distinct coalesce(j.model_name || coalesce(' ' || j.model_version, ''), j.model_package,
                                 j.route_name)) as models
                from series s join latest_job j on j.series_id = s.id
                     left join results r on r.job_id = j.id left join deliveries d on d.result_id = r.id
                group by s.study_instance_uid
            ), warned as (
                select s.study_instance_uid as uid,
                       sum(cardinality(j.volume_warnings) + coalesce(cardinality(r.labels_left_out), 0)) as warning_count
                from series s join latest_job j on j.series_id = s.id left join results r on r.job_id = j.id
                group by s.study_instance_uid
            ), summary as (
                select st.*, p.ai_time, p.models, coalesce(w.warning_count, 0) as warning_count, case
                           when coalesce(p.failed_jobs, 0) + coalesce(p.failed_deliveries, 0) > 0 then 'failed'
                           when st.receiving then 'receiving'
                           when coalesce(p.active, 0) > 0 then 'processing'
                           when coalesce(p.pending, 0) > 0 then 'delivering'
                           when coalesce(p.delivered, 0) > 0 then 'delivered'
                           when coalesce(p.jobs, 0) > 0 then 'done'
                           else 'no-job' end as status
                from study st left join progress p on p.uid = st.uid left join warned w on w.uid = st.uid
            )
            select uid, accession, patient_id, patient_name, study_date, study_description, modalities, body_parts, status,
                   ai_time, models, first_received, last_received, count(*) over () as total
            from summary
            where (:accession::varchar is null or accession = :accession)
              and (:patientId::varchar is null or patient_id = :patientId)
              and (:uid::varchar is null or uid = :uid)
              and (:from::timestamptz is null or last_received >= :from)
              and (:to::timestamptz is null or first_received < :to)
              and (:status::varchar is null or status = :status)
              and (:patientName::varchar is null or patient_name ilike '%' || :patientName || '%')
              and (:studyDateFrom::date is null or study_date >= :studyDateFrom)
              and (:studyDateTo::date is null or study_date <= :studyDateTo)
              and (:description::varchar is null or study_description ilike '%' || :description || '%')
              and (:modality::varchar is null or upper(:modality) = any (modality_set))
              and (:bodyPart::varchar is null or upper(:bodyPart) = any (body_part_set))
              and (:model::varchar is null or array_to_string(models, ' ') ilike '%' || :model || '%')
              and (:warnings::boolean is null or (warning_count > 0) = :warnings)
            """;

    private static final String DETAILS = """
            select s.study_instance_uid, s.series_instance_uid, s.modality, s.body_part_examined, s.series_description,
                   s.instance_count, s.version, s.state as series_state, s.first_received_at, s.last_received_at, s.completed_at,
                   j.id as job_id, j.series_version, j.route_name, j.model_package, j.model_name, j.model_version,
                   j.state as job_state, j.reason, j.attempts as job_attempts, j.batch_id, j.created_at as job_created_at,
                   j.queued_at, j.started_at, j.finished_at, j.stage_seconds::text as stage_seconds,
                   r.id as result_id, r.version as result_version, r.seg_sop_instance_uid, r.seg_series_instance_uid,
                   r.frame_count, r.segment_count, r.created_at as result_created_at,
                   r.segment_statistics::text as segment_statistics, r.sr_sop_instance_uid, r.sr_series_instance_uid,
                   d.destination, d.state as delivery_state, d.attempts as delivery_attempts, d.next_attempt_at, d.last_error,
                   d.delivered_at, j.volume_warnings, r.labels_left_out
            from series s left join jobs j on j.series_id = s.id
                 left join results r on r.job_id = j.id left join deliveries d on d.result_id = r.id
            where s.study_instance_uid = any (:uids)
            order by s.first_received_at, s.series_instance_uid, j.created_at desc, j.id, d.destination
            """;

    private final Transactions transactions;

    StudyQueries(Transactions transactions) {
        this.transactions = transactions;
    }

    /** The studies that pass {@code filter}, most recently received first. */
    public StudyPage page(StudyFilter filter, StudySort.Order order, int page, int size) {
        return transactions.withHandle(h -> {
            List<Summary> summaries = bind(h.createQuery(SUMMARIES + " order by " + order.sql() + " limit :limit offset :offset"),
                    filter)
                    .bind("limit", size).bind("offset", (long) page * size)
                    .map((rs, ctx) -> new Summary(rs.getString("uid"), rs.getString("accession"), rs.getString("patient_id"),
                            rs.getString("patient_name"), rs.getObject("study_date", LocalDate.class),
                            rs.getString("study_description"), list(rs.getArray("modalities")), list(rs.getArray("body_parts")),
                            rs.getString("status"), instant(rs.getTimestamp("ai_time")), list(rs.getArray("models")),
                            instant(rs.getTimestamp("first_received")), instant(rs.getTimestamp("last_received")),
                            rs.getLong("total")))
                    .list();
            long total = summaries.isEmpty() ? (page > 0 ? count(h, filter) : 0) : summaries.getLast().total();
            return new StudyPage(page, size, total, details(h, summaries));
        });
    }

    /** One study with everything the worklist knows of it. */
    public Optional<StudyView> study(String studyInstanceUid) {
        StudyPage one = page(StudyFilter.study(studyInstanceUid), StudySort.DEFAULT, 0, 1);
        return one.studies().stream().findFirst();
    }

    /** The number of studies that pass; for a page past the end, which has no row to carry the window count. */
    private static long count(Handle h, StudyFilter filter) {
        return bind(h.createQuery("select count(*) from (" + SUMMARIES + ") counted"), filter).mapTo(long.class).one();
    }

    /** Binds the filter's parameters of {@link #SUMMARIES}. */
    private static Query bind(Query q, StudyFilter filter) {
        return q.bind("accession", filter.accessionNumber()).bind("patientId", filter.patientId())
                .bind("uid", filter.studyInstanceUid()).bind("from", timestamp(filter.from())).bind("to", timestamp(filter.to()))
                .bind("status", filter.status() == null ? null : filter.status().label())
                .bind("patientName", likePattern(filter.patientName())).bind("studyDateFrom", filter.studyDateFrom())
                .bind("studyDateTo", filter.studyDateTo()).bind("description", likePattern(filter.description()))
                .bind("modality", filter.modality()).bind("bodyPart", filter.bodyPart())
                .bind("model", likePattern(filter.model())).bind("warnings", filter.warnings());
    }

    /** A part of a value to look for with ILIKE: its wildcards and the escape character taken literally. */
    static String likePattern(String part) {
        return part == null ? null : part.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
    }

    /** A text array aggregate as a list; empty for none. */
    private static List<String> list(java.sql.Array array) throws SQLException {
        if (array == null) return List.of();
        return Arrays.stream((String[]) array.getArray()).filter(Objects::nonNull).toList();
    }

    /** A study of the page; {@code total}: how many pass the filter. */
    private record Summary(String uid, String accession, String patientId, String patientName, LocalDate studyDate,
                           String studyDescription, List<String> modalities, List<String> bodyParts, String status,
                           Instant statusChanged, List<String> models, Instant firstReceived, Instant lastReceived, long total) {}

    private static List<StudyView> details(Handle h, List<Summary> summaries) {
        if (summaries.isEmpty()) return List.of();
        Map<String, Map<String, SeriesRows>> seriesByStudy = new LinkedHashMap<>();
        summaries.forEach(st -> seriesByStudy.put(st.uid(), new LinkedHashMap<>()));
        h.createQuery(DETAILS).bindArray("uids", String.class, seriesByStudy.keySet())
                .reduceResultSet(seriesByStudy, (acc, rs, ctx) -> {
                    Map<String, SeriesRows> seriesOfStudy = acc.get(rs.getString("study_instance_uid"));
                    String uid = rs.getString("series_instance_uid");
                    SeriesRows series = seriesOfStudy.get(uid);
                    if (series == null) seriesOfStudy.put(uid, series = new SeriesRows(rs));
                    series.add(rs);
                    return acc;
                });
        List<StudyView> studies = new ArrayList<>();
        for (Summary st : summaries) {
            List<StudyView.Series> series = seriesByStudy.get(st.uid()).values().stream().map(SeriesRows::view).toList();
            List<StudyView.Job> latest = latestJobs(series);
            studies.add(new StudyView(st.uid(), st.accession(), st.patientId(), st.patientName(), st.studyDate(),
                    st.studyDescription(), st.modalities(), st.bodyParts(), st.status(), st.statusChanged(), st.models(),
                    MeasurementSummary.of(latest.stream().filter(j -> j.result() != null)
                            .map(j -> j.result().measurements()).toList()),
                    latest.stream().flatMap(j -> WarningHeadline.of(j.warnings()).stream()).toList(), null,
                    st.firstReceived(), st.lastReceived(), series));
        }
        return studies;
    }

    /**
     * The latest job of each series and model package (jobs are read newest first), as the study's status judges them;
     * a cancelled job never counts.
     */
    private static List<StudyView.Job> latestJobs(List<StudyView.Series> series) {
        List<StudyView.Job> latest = new ArrayList<>();
        for (StudyView.Series s : series) {
            Set<String> seen = new HashSet<>();
            for (StudyView.Job j : s.jobs()) {
                if ("cancelled".equals(j.state())) continue;
                String model = j.model().packageReference() != null ? j.model().packageReference()
                        : j.route() != null ? j.route() : "";
                if (seen.add(model)) latest.add(j);
            }
        }
        return latest;
    }

    /** The rows of one series while they are read: its jobs, each with its result and deliveries. */
    private static final class SeriesRows {
        private final StudyView.Series head;
        private final Map<UUID, JobRows> jobs = new LinkedHashMap<>();

        SeriesRows(ResultSet rs) throws SQLException {
            head = new StudyView.Series(rs.getString("series_instance_uid"), rs.getString("modality"),
                    rs.getString("body_part_examined"), rs.getString("series_description"), rs.getInt("instance_count"),
                    rs.getInt("version"), rs.getString("series_state"), instant(rs.getTimestamp("first_received_at")),
                    instant(rs.getTimestamp("last_received_at")), instant(rs.getTimestamp("completed_at")), List.of());
        }

        void add(ResultSet rs) throws SQLException {
            UUID jobId = rs.getObject("job_id", UUID.class);
            if (jobId == null) return;
            JobRows job = jobs.get(jobId);
            if (job == null) jobs.put(jobId, job = new JobRows(rs));
            if (rs.getString("destination") != null)
                job.deliveries.add(new StudyView.Delivery(rs.getString("destination"), rs.getString("delivery_state"),
                        rs.getInt("delivery_attempts"), instant(rs.getTimestamp("next_attempt_at")), rs.getString("last_error"),
                        instant(rs.getTimestamp("delivered_at"))));
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
            head = new StudyView.Job(rs.getObject("job_id", UUID.class), rs.getInt("series_version"), rs.getString("route_name"),
                    new StudyView.Model(rs.getString("model_package"), rs.getString("model_name"), rs.getString("model_version")),
                    rs.getString("job_state"), rs.getString("reason"), rs.getInt("job_attempts"), rs.getObject("batch_id", UUID.class),
                    JobWarning.of(rs.getArray("volume_warnings"), rs.getArray("labels_left_out")),
                    new StudyView.Timings(instant(rs.getTimestamp("job_created_at")), instant(rs.getTimestamp("queued_at")),
                            instant(rs.getTimestamp("started_at")), instant(rs.getTimestamp("finished_at")),
                            stageSeconds(rs.getString("stage_seconds"))), null);
            rs.getLong("result_id");
            result = rs.wasNull() ? null : new StudyView.Result(rs.getInt("result_version"), rs.getString("seg_sop_instance_uid"),
                    rs.getString("seg_series_instance_uid"), rs.getInt("frame_count"), rs.getInt("segment_count"),
                    instant(rs.getTimestamp("result_created_at")), SegmentMeasurement.fromJson(rs.getString("segment_statistics")),
                    rs.getString("sr_sop_instance_uid"), rs.getString("sr_series_instance_uid"), List.of());
        }

        StudyView.Job view() {
            StudyView.Result withDeliveries = result == null ? null : new StudyView.Result(result.version(),
                    result.segSopInstanceUid(), result.segSeriesInstanceUid(), result.frameCount(), result.segmentCount(),
                    result.created(), result.measurements(), result.srSopInstanceUid(), result.srSeriesInstanceUid(),
                    List.copyOf(deliveries));
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
