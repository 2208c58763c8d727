package org.seggateway.gateway.results;

import jakarta.enterprise.context.ApplicationScoped;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Handle;
import org.seggateway.dicomio.seg.WrittenSegmentation;
import org.seggateway.gateway.jobs.JobAudit;
import org.seggateway.gateway.jobs.JobRepository;
import org.seggateway.gateway.jobs.JobState;
import org.seggateway.inference.queue.ResultHeader;

/**
 * Records a written SEG within the caller's transaction: the {@code results} row (versioned per series and model, with
 * the labels the SEG could not carry), one pending delivery per destination, the job 'done' with its stage times, and
 * {@code result.stored} in the audit trail.
 */
@ApplicationScoped
public class ResultRecorder {
    private final ResultRepository repository;
    private final JobRepository jobs;
    private final JobAudit audit;

    ResultRecorder(ResultRepository repository, JobRepository jobs, JobAudit audit) {
        this.repository = repository;
        this.jobs = jobs;
        this.audit = audit;
    }

    public ResultHandler.StoredResult record(Handle h, ResultHandler.PendingResult job, ResultHeader header, WrittenSegmentation seg,
                                             List<String> labelsLeftOut, List<String> destinations,
                                             Map<String, Double> stageSeconds) throws SQLException {
        int version = repository.nextVersion(h, job.seriesId(), job.modelName());
        long resultId = repository.insert(h, new ResultRepository.NewResult(job.jobId(), version, seg.sopInstanceUid(),
                seg.seriesInstanceUid(), seg.file().toString(), seg.frameCount(), seg.segmentNumbers().size(), Instant.now(),
                labelsLeftOut));
        repository.insertDeliveries(h, resultId, destinations);
        jobs.transition(h, job.jobId(), JobFailures.AWAITING_RESULT, JobState.DONE, null, stageSeconds);
        audit.append(h, job.jobId(), "result.stored", "stored", Map.of("segSopInstanceUid", seg.sopInstanceUid(),
                "resultVersion", version, "frames", seg.frameCount(), "destinations", destinations,
                "worker", String.valueOf(header.worker())));
        return new ResultHandler.StoredResult(resultId, version, seg.file(), seg.sopInstanceUid(), seg.frameCount(), destinations);
    }
}
