package org.seggateway.gateway.results;

import jakarta.enterprise.context.ApplicationScoped;
import java.sql.SQLException;
import java.time.Instant;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Handle;
import org.seggateway.dicomio.seg.WrittenMeasurementReport;
import org.seggateway.dicomio.seg.WrittenSegmentation;
import org.seggateway.gateway.jobs.JobAudit;
import org.seggateway.gateway.jobs.JobRepository;
import org.seggateway.gateway.jobs.JobState;
import org.seggateway.inference.queue.ResultHeader;

/**
 * Records a written SEG within the caller's transaction: the {@code results} row (versioned per series and model, with
 * the labels the SEG could not carry, the segments' measurements as JSON and the measurement report's UIDs and file), one pending delivery per destination, the job 'done' with its stage times, and
 * {@code result.stored} in the audit trail.
 */
@ApplicationScoped
public class ResultRecorder {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final ResultRepository repository;
    private final JobRepository jobs;
    private final JobAudit audit;

    ResultRecorder(ResultRepository repository, JobRepository jobs, JobAudit audit) {
        this.repository = repository;
        this.jobs = jobs;
        this.audit = audit;
    }

    public ResultHandler.StoredResult record(Handle h, ResultHandler.PendingResult job, ResultHeader header, WrittenSegmentation seg,
                                             ResultMeasurements.Measured measured, List<String> labelsLeftOut, List<String> destinations,
                                             Map<String, Double> stageSeconds) throws SQLException {
        int version = repository.nextVersion(h, job.seriesId(), job.modelName());
        long resultId = repository.insert(h, new ResultRepository.NewResult(job.jobId(), version, seg.sopInstanceUid(),
                seg.seriesInstanceUid(), seg.file().toString(), seg.frameCount(), seg.segmentNumbers().size(), Instant.now(),
                labelsLeftOut, measured.segments().isEmpty() ? null : json(measured.segments()),
                measured.report().map(WrittenMeasurementReport::sopInstanceUid).orElse(null),
                measured.report().map(WrittenMeasurementReport::seriesInstanceUid).orElse(null),
                measured.report().map(r -> r.file().toString()).orElse(null)));
        repository.insertDeliveries(h, resultId, destinations);
        jobs.transition(h, job.jobId(), JobFailures.AWAITING_RESULT, JobState.DONE, null, stageSeconds);
        Map<String, Object> details = new LinkedHashMap<>(Map.of("segSopInstanceUid", seg.sopInstanceUid(),
                "resultVersion", version, "frames", seg.frameCount(), "destinations", destinations,
                "worker", String.valueOf(header.worker())));
        measured.report().ifPresent(r -> details.put("srSopInstanceUid", r.sopInstanceUid()));
        audit.append(h, job.jobId(), "result.stored", "stored", details);
        return new ResultHandler.StoredResult(resultId, version, seg.file(), seg.sopInstanceUid(), seg.frameCount(), destinations,
                measured.segments(), measured.report().map(WrittenMeasurementReport::file).orElse(null));
    }

    private static String json(List<SegmentMeasurement> measurements) {
        try {
            return JSON.writeValueAsString(measurements);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("measurements not writable as JSON", e);
        }
    }
}
