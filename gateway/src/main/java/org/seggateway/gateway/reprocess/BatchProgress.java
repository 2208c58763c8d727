package org.seggateway.gateway.reprocess;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * Where a reprocessing batch stands. Jobs count by state: {@code waiting} for their turn (or for the PACS),
 * {@code queued} or {@code running} on a worker, then {@code done}, {@code failed} or {@code cancelled}.
 * {@code etaSeconds}: the jobs left times the batch's mean time per finished job so far; null until one finished.
 */
public record BatchProgress(UUID id, String state, String requestedBy, String reason, String modelPackage, String modelName,
                            String modelVersion, Instant createdAt, Instant finishedAt, String cancelledBy, int total, int waiting,
                            int queued, int running, int done, int failed, int cancelled, Long etaSeconds, List<BatchJob> jobs) {

    /** One series of the batch: its job, from queued to finished in seconds, and, once done, the new SEG. */
    public record BatchJob(UUID jobId, String studyInstanceUid, String seriesInstanceUid, String state, String reason, Double seconds,
                           Integer resultVersion, String segSeriesInstanceUid, String segSopInstanceUid) {
    }

    public int finished() {
        return done + failed + cancelled;
    }
}
