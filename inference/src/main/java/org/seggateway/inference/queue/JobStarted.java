package org.seggateway.inference.queue;

import java.time.Instant;

/**
 * A worker's note that it has begun running a job: the only record of its kind on {@link Topics#RESULTS}
 * ({@link Topics#KIND} {@link Topics#STARTED}), keyed by job id, so that it lies in the partition of the job's
 * result and before it. Sent again for each attempt and by each worker that takes the job over; the gateway keeps
 * the first start and ignores a start that arrives after the job is finished. No patient or study attribute.
 *
 * @param attempt   the worker's attempt at the job, from 1
 * @param startedAt ISO-8601 instant on the worker's clock
 * @param device    where the network runs (provider, GPU); null from workers older than this field, or when the
 *                  worker could not open the job's model
 */
public record JobStarted(String jobId, String worker, int attempt, String startedAt, ExecutionDevice device) {

    /** Without a device (records of older workers read the same way). */
    public JobStarted(String jobId, String worker, int attempt, String startedAt) {
        this(jobId, worker, attempt, startedAt, null);
    }

    public static JobStarted now(String jobId, String worker, int attempt) {
        return now(jobId, worker, attempt, null);
    }

    public static JobStarted now(String jobId, String worker, int attempt, ExecutionDevice device) {
        return new JobStarted(jobId, worker, attempt, Instant.now().toString(), device);
    }
}
