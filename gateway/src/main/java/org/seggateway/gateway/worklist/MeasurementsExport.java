package org.seggateway.gateway.worklist;

import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import org.seggateway.gateway.database.Transactions;
import org.seggateway.gateway.results.SegmentMeasurement;

/**
 * The stored measurements of results as CSV (RFC 4180, comma-separated, CRLF line ends, a header line), one line per
 * segment of each result, for a study or for results created in a time range. No patient name or ID: the study is
 * named by its UIDs and accession number.
 */
@ApplicationScoped
public class MeasurementsExport {
    /** At most this many results in one export; a wider range is refused so that one request cannot hold the heap. */
    public static final int MAX_RESULTS = 10_000;

    static final List<String> COLUMNS = List.of("studyInstanceUid", "accessionNumber", "seriesInstanceUid", "modality",
            "jobId", "modelName", "modelVersion", "resultVersion", "resultCreated", "segSopInstanceUid", "srSopInstanceUid",
            "labelValue", "segmentNumber", "label", "typeCode", "typeScheme", "typeMeaning", "voxelCount", "volumeMl",
            "mean", "min", "max", "standardDeviation", "units", "components", "boundingBoxMinXMm", "boundingBoxMinYMm",
            "boundingBoxMinZMm", "boundingBoxMaxXMm", "boundingBoxMaxYMm", "boundingBoxMaxZMm", "leftMl", "rightMl");

    private final Transactions transactions;

    MeasurementsExport(Transactions transactions) {
        this.transactions = transactions;
    }

    /** What an export holds: the CSV text, the results and studies it covers. */
    public record Csv(String text, int results, List<String> studies) {
    }

    private record Row(String study, String accession, String series, String modality, UUID jobId, String modelName,
                       String modelVersion, int version, Instant created, String seg, String sr, List<SegmentMeasurement> measurements) {
    }

    /**
     * The measurements of study {@code studyUid} (null: any) among results created in [{@code from}, {@code to})
     * (null: open); empty when there are more than {@link #MAX_RESULTS} results.
     */
    public java.util.Optional<Csv> export(String studyUid, Instant from, Instant to) {
        List<Row> rows = transactions.withHandle(h -> h.createQuery("""
                        select s.study_instance_uid, s.accession_number, s.series_instance_uid, s.modality, j.id as job_id,
                               j.model_name, j.model_version, r.version, r.created_at, r.seg_sop_instance_uid,
                               r.sr_sop_instance_uid, r.segment_statistics::text as segment_statistics
                        from results r join jobs j on j.id = r.job_id join series s on s.id = j.series_id
                        where r.segment_statistics is not null
                          and (:study::varchar is null or s.study_instance_uid = :study)
                          and (:from::timestamptz is null or r.created_at >= :from)
                          and (:to::timestamptz is null or r.created_at < :to)
                        order by r.created_at, r.id
                        limit :limit""")
                .bind("study", studyUid).bind("from", from).bind("to", to).bind("limit", MAX_RESULTS + 1)
                .map((rs, ctx) -> new Row(rs.getString("study_instance_uid"), rs.getString("accession_number"),
                        rs.getString("series_instance_uid"), rs.getString("modality"), rs.getObject("job_id", UUID.class),
                        rs.getString("model_name"), rs.getString("model_version"), rs.getInt("version"),
                        rs.getTimestamp("created_at").toInstant(), rs.getString("seg_sop_instance_uid"),
                        rs.getString("sr_sop_instance_uid"), SegmentMeasurement.fromJson(rs.getString("segment_statistics"))))
                .list());
        if (rows.size() > MAX_RESULTS) return java.util.Optional.empty();
        StringBuilder csv = new StringBuilder();
        line(csv, COLUMNS);
        for (Row r : rows)
            for (SegmentMeasurement m : r.measurements()) {
                List<String> cells = new ArrayList<>(List.of(text(r.study()), text(r.accession()), text(r.series()),
                        text(r.modality()), r.jobId().toString(), text(r.modelName()), text(r.modelVersion()),
                        Integer.toString(r.version()), r.created().toString(), text(r.seg()), text(r.sr()),
                        Integer.toString(m.labelValue()), m.segmentNumber() == null ? "" : m.segmentNumber().toString(),
                        text(m.label()), text(m.type().code()), text(m.type().scheme()), text(m.type().meaning()),
                        Long.toString(m.voxelCount()), number(m.volumeMl(), 3), number(m.mean(), 2), number(m.min(), 2),
                        number(m.max(), 2), number(m.standardDeviation(), 2), text(m.units()), Integer.toString(m.components())));
                for (int k = 0; k < 6; k++) {
                    double[] corner = m.boundingBoxMm() == null ? null : k < 3 ? m.boundingBoxMm().min() : m.boundingBoxMm().max();
                    cells.add(corner == null ? "" : number(corner[k % 3], 2));
                }
                cells.add(m.laterality() == null ? "" : number(m.laterality().leftMl(), 3));
                cells.add(m.laterality() == null ? "" : number(m.laterality().rightMl(), 3));
                line(csv, cells);
            }
        return java.util.Optional.of(new Csv(csv.toString(), rows.size(), rows.stream().map(Row::study).distinct().toList()));
    }

    private static void line(StringBuilder csv, List<String> cells) {
        for (int i = 0; i < cells.size(); i++) {
            if (i > 0) csv.append(',');
            String cell = cells.get(i);
            if (cell.indexOf(',') >= 0 || cell.indexOf('"') >= 0 || cell.indexOf('\n') >= 0 || cell.indexOf('\r') >= 0)
                csv.append('"').append(cell.replace("\"", "\"\"")).append('"');
            else csv.append(cell);
        }
        csv.append("\r\n");
    }

    /** A text cell; one a spreadsheet would take for a formula is prefixed with an apostrophe. */
    static String text(String value) {
        if (value == null) return "";
        return !value.isEmpty() && "=+-@\t\r".indexOf(value.charAt(0)) >= 0 ? "'" + value : value;
    }

    private static String number(Double value, int decimals) {
        return value == null ? "" : String.format(Locale.ROOT, "%." + decimals + "f", value);
    }
}
