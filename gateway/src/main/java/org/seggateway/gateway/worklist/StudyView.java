package org.seggateway.gateway.worklist;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.seggateway.gateway.results.SegmentMeasurement;
import org.seggateway.gateway.jobs.JobWarning;

/**
 * A study as the worklist shows it: its series, the jobs run over each series (newest first), each job's result
 * (the SEG) and where that result went; ahead of them the worklist's reading columns.
 *
 * @param patientName        Patient's Name as received (DICOM PN: {@code Family^Given^Middle^Prefix^Suffix})
 * @param modalities         the distinct modalities of its series, sorted
 * @param bodyParts          the distinct Body Part Examined of its series, sorted
 * @param status             the study's state over the latest job of each series and model: see {@link StudyStatus}
 * @param statusChanged      when a latest job last changed state or one of its SEGs was delivered; absent without a job
 * @param models             name and version of each model of a latest job, sorted
 * @param measurementSummary the segments' volumes of the latest results in one line, see {@link MeasurementSummary}
 * @param warnings           the latest jobs' warnings in a few plain words each (the whole text: each job's warnings)
 * @param viewerUrl          the study in the configured image viewer; absent when none is configured
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record StudyView(String studyInstanceUid, String accessionNumber, String patientId, String patientName,
                        LocalDate studyDate, String studyDescription, List<String> modalities, List<String> bodyParts,
                        String status, Instant statusChanged, List<String> models, String measurementSummary,
                        List<String> warnings, String viewerUrl, Instant firstReceived, Instant lastReceived,
                        List<Series> series) {

    /** The same study with its viewer link. */
    StudyView withViewerUrl(String url) {
        return new StudyView(studyInstanceUid, accessionNumber, patientId, patientName, studyDate, studyDescription, modalities,
                bodyParts, status, statusChanged, models, measurementSummary, warnings, url, firstReceived, lastReceived, series);
    }

    public record Series(String seriesInstanceUid, String modality, String bodyPartExamined, String seriesDescription,
                         int instanceCount, int version, String state, Instant firstReceived, Instant lastReceived,
                         Instant completed, List<Job> jobs) {
    }

    /**
     * {@code model.packageReference} is the folder the route names; name and version come from its model.json.
     * {@code warnings}: findings that did not stop the job (slices interpolated, images dropped, labels left out of the SEG).
     */
    public record Job(UUID id, int seriesVersion, String route, Model model, String state, String reason, int attempts,
                      UUID batchId, List<JobWarning> warnings, Timings timings, Result result) {
    }

    public record Model(String packageReference, String name, String version) {
    }

    public record Timings(Instant created, Instant queued, Instant started, Instant finished, Map<String, Double> stageSeconds) {
    }

    /**
     * {@code measurements}: per segment, on the source grid (absent for results stored before measurements existed);
     * {@code srSopInstanceUid}, {@code srSeriesInstanceUid}: the measurement report sent with the SEG, absent when none.
     */
    public record Result(int version, String segSopInstanceUid, String segSeriesInstanceUid, int frameCount, int segmentCount,
                         Instant created, List<SegmentMeasurement> measurements, String srSopInstanceUid,
                         String srSeriesInstanceUid, List<Delivery> deliveries) {
    }

    public record Delivery(String destination, String state, int attempts, Instant nextAttempt, String lastError,
                           Instant delivered) {
    }
}
