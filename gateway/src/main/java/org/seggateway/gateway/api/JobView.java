package org.seggateway.gateway.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.seggateway.gateway.results.SegmentMeasurement;
import org.seggateway.gateway.jobs.JobWarning;

/**
 * A job as the REST API shows it. {@code deliveries} only in the single-job answer. {@code warnings}: what did not stop
 * the job but a reader of its result should know (slices interpolated, images dropped, labels left out of the SEG).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record JobView(UUID id, String seriesInstanceUid, String studyInstanceUid, int seriesVersion, String route, Model model,
                      String state, String reason, int attempts, List<JobWarning> warnings, Timings timings, Result result,
                      List<Delivery> deliveries, Worker worker) {

    /**
     * The worker of the job's latest start and where it runs the network: {@code provider} {@code CPU} or {@code CUDA};
     * on CUDA the GPU's name and index, its memory and the CUDA generation with the driver. Only the id from workers
     * older than the device report.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Worker(String id, String provider, String gpu, Long gpuMemoryBytes, String cuda) {
    }

    /** {@code package} is the folder the route names; name and version come from its model.json once queued. */
    public record Model(String packageReference, String name, String version) {
    }

    /**
     * When each stage was reached, and the seconds each stage took: on the gateway ({@code assemble},
     * {@code publish}, {@code segBuild}) and on the worker (its own stage names, {@code total} for all).
     */
    public record Timings(Instant firstReceived, Instant lastReceived, Instant complete, Instant queued, Instant started,
                          Instant finished, Map<String, Double> stageSeconds) {
    }

    /**
     * {@code measurements}: per segment, on the source grid (absent for results stored before measurements existed);
     * {@code srSopInstanceUid}, {@code srSeriesInstanceUid}: the measurement report sent with the SEG, absent when none.
     */
    public record Result(int version, String segSopInstanceUid, String segSeriesInstanceUid, int frameCount, int segmentCount,
                         Instant created, List<SegmentMeasurement> measurements, String srSopInstanceUid,
                         String srSeriesInstanceUid) {
    }

    public record Delivery(String destination, String state, int attempts, Instant nextAttempt, String lastError,
                           Instant delivered) {
    }
}
