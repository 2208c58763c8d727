package org.seggateway.gateway.ingest;

import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.seggateway.dicomio.header.DicomHeader;
import org.seggateway.gateway.database.Transactions;

/**
 * Rows of {@code series}: recorded and reopened by ingest, completed when quiet, their spool purged by retention. The
 * worklist keys are cut to their column widths.
 */
@ApplicationScoped
public class SeriesRepository {
    private final Transactions transactions;

    SeriesRepository(Transactions transactions) {
        this.transactions = transactions;
    }

    /** A series still receiving: what completion needs to route and complete it. */
    public record ReceivingSeries(long id, String seriesUid, String studyUid, int version, Instant lastReceived, String callingAe,
                                  String modality, String bodyPart, String description, int instances) {
    }

    /** The UIDs of a series. */
    public record SeriesUids(String studyUid, String seriesUid) {
    }

    /**
     * One more instance of a series, recorded with the worklist keys of its first instance; reopens a complete series
     * (with a new series version): the statement ({@code returning id} gives the series' id), its values are
     * {@link #recordInstanceValues}.
     */
    static final String RECORD_INSTANCE = """
            insert into series (series_instance_uid, study_instance_uid, accession_number, patient_id, modality,
                                body_part_examined, series_description, patient_name, study_date, study_description,
                                calling_ae_title, instance_count, first_received_at, last_received_at)
            values (:series, :study, :accession, :patientId, :modality, :bodyPart, :description, :patientName,
                    cast(:studyDate as date), :studyDescription, :callingAe, 1, :now, :now)
            on conflict (series_instance_uid) do update set
                instance_count = series.instance_count + 1,
                last_received_at = excluded.last_received_at,
                version = case when series.state = 'complete' then series.version + 1 else series.version end,
                state = 'receiving',
                completed_at = null""";

    static Map<String, Object> recordInstanceValues(String series, String study, DicomHeader header, String callingAe, Instant receivedAt) {
        Map<String, Object> values = readingColumns(header);
        values.put("series", series);
        values.put("study", study);
        values.put("accession", cut(header.string("AccessionNumber"), 16));
        values.put("patientId", cut(header.string("PatientID"), 64));
        values.put("modality", cut(header.string("Modality"), 16));
        values.put("bodyPart", cut(header.string("BodyPartExamined"), 64));
        values.put("description", cut(header.string("SeriesDescription"), 64));
        values.put("callingAe", cut(callingAe, 16));
        values.put("now", receivedAt);
        return values;
    }

    Optional<Long> idOf(Handle h, String seriesUid) {
        return h.createQuery("select id from series where series_instance_uid = :series").bind("series", seriesUid)
                .mapTo(Long.class).findOne();
    }

    /** One more (retrieved) instance; worklist keys the row lacks (a series recorded before any instance) from its header. */
    void addRetrievedInstance(Handle h, long seriesId, DicomHeader header) {
        h.createUpdate("""
                        update series set instance_count = instance_count + 1,
                            accession_number = coalesce(accession_number, :accession), patient_id = coalesce(patient_id, :patientId),
                            modality = coalesce(modality, :modality), body_part_examined = coalesce(body_part_examined, :bodyPart),
                            series_description = coalesce(series_description, :description),
                            patient_name = coalesce(patient_name, :patientName), study_date = coalesce(study_date, cast(:studyDate as date)),
                            study_description = coalesce(study_description, :studyDescription)
                        where id = :id""")
                .bind("accession", cut(header.string("AccessionNumber"), 16))
                .bind("patientId", cut(header.string("PatientID"), 64))
                .bind("modality", cut(header.string("Modality"), 16))
                .bind("bodyPart", cut(header.string("BodyPartExamined"), 64))
                .bind("description", cut(header.string("SeriesDescription"), 64))
                .bindMap(readingColumns(header))
                .bind("id", seriesId)
                .execute();
    }

    /** Series receiving whose last instance arrived at or before {@code threshold}, the longest quiet first. */
    public List<ReceivingSeries> receivingQuietSince(Instant threshold, int limit) {
        return transactions.withHandle(h -> h.createQuery("""
                        select id, series_instance_uid, study_instance_uid, version, last_received_at, calling_ae_title, modality,
                               body_part_examined, series_description, instance_count
                        from series where state = 'receiving' and last_received_at <= :threshold
                        order by last_received_at limit :limit""")
                .bind("threshold", threshold).bind("limit", limit)
                .map((rs, ctx) -> new ReceivingSeries(rs.getLong("id"), rs.getString("series_instance_uid"),
                        rs.getString("study_instance_uid"), rs.getInt("version"), rs.getTimestamp("last_received_at").toInstant(),
                        rs.getString("calling_ae_title"), rs.getString("modality"), rs.getString("body_part_examined"),
                        rs.getString("series_description"), rs.getInt("instance_count")))
                .list());
    }

    /** Marks a series complete unless an instance arrived since it was read; false then. */
    public boolean complete(Handle h, ReceivingSeries series) {
        return h.createUpdate("""
                        update series set state = 'complete', completed_at = now()
                        where id = :id and state = 'receiving' and version = :version and last_received_at = :lastReceived""")
                .bind("id", series.id()).bind("version", series.version()).bind("lastReceived", series.lastReceived())
                .execute() == 1;
    }

    /**
     * Series complete since before the cutoff with spool files left, none of whose jobs waits or runs and none of whose SEGs
     * waits for delivery.
     */
    private static final String DUE_FOR_PURGE = """
            s.state = 'complete' and s.completed_at < :cutoff
            and exists (select 1 from instances i where i.series_id = s.id and i.purged_at is null)
            and not exists (select 1 from jobs j where j.series_id = s.id and j.state in ('received', 'complete', 'queued', 'running'))
            and not exists (select 1 from deliveries d join results r on r.id = d.result_id join jobs j on j.id = r.job_id
                            where j.series_id = s.id and d.state = 'pending')""";

    /** The ids of series due for the purge of their spool files, the longest complete first. */
    public List<Long> dueForPurge(Instant cutoff, int limit) {
        return transactions.withHandle(h -> h.createQuery("select s.id from series s where " + DUE_FOR_PURGE
                        + " order by s.completed_at limit :limit")
                .bind("cutoff", cutoff).bind("limit", limit)
                .mapTo(Long.class).list());
    }

    /** Locks a series if it is still due for the purge (an instance arriving now waits for the commit); empty if not. */
    public Optional<SeriesUids> lockDueForPurge(Handle h, long seriesId, Instant cutoff) {
        return h.createQuery("select s.study_instance_uid, s.series_instance_uid from series s where s.id = :id and "
                        + DUE_FOR_PURGE + " for update of s")
                .bind("id", seriesId).bind("cutoff", cutoff)
                .map((rs, ctx) -> new SeriesUids(rs.getString("study_instance_uid"), rs.getString("series_instance_uid")))
                .findOne();
    }

    /** The worklist's reading columns of a header (V17): patient name, study date and description. */
    static Map<String, Object> readingColumns(DicomHeader header) {
        Map<String, Object> columns = new HashMap<>();
        columns.put("patientName", cut(header.string("PatientName"), MAX_PATIENT_NAME));
        columns.put("studyDate", studyDate(header.string("StudyDate")));
        columns.put("studyDescription", cut(header.string("StudyDescription"), 64));
        return columns;
    }

    /** Five PN components of 64 characters in each of three component groups, with their separators. */
    static final int MAX_PATIENT_NAME = 3 * (5 * 64 + 4) + 2;

    /** A DA value (YYYYMMDD) as a date; null when absent or not a valid date (a malformed header does not stop ingest). */
    static LocalDate studyDate(String da) {
        if (da == null || da.isBlank()) return null;
        try {
            return LocalDate.parse(da.trim(), DateTimeFormatter.BASIC_ISO_DATE);
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    static String cut(String value, int max) {
        if (value == null || value.isEmpty()) return null;
        return value.length() > max ? value.substring(0, max) : value;
    }
}
