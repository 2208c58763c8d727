package org.seggateway.inference.worker;

import java.util.Locale;

/**
 * The heap a worker lets the jobs it holds use at one time. Each job reserves its estimated peak
 * ({@link JobRunner#peakBytes}: the voxel array its header announces, which the worker allocates as soon as the header
 * arrives, plus the model's working set) from the header alone, before anything is allocated:
 * <ul>
 * <li>a job whose peak exceeds the whole budget can never run on this worker: it is refused (dead-lettered with the
 *     reason) instead of ending in an {@link OutOfMemoryError} on every worker it reaches;
 * <li>a job that fits the budget but not next to the jobs already held (headers of several partitions arrive
 *     interleaved) waits: its partition is paused and read again from its header once a held job is finished.
 * </ul>
 * The budget is a share of {@link Runtime#maxMemory()} by default, leaving the rest to the Kafka clients' fetch
 * buffers, the model sessions and the records in flight.
 */
final class MemoryBudget {
    /** Share of the maximum heap that jobs may use by default. */
    static final double DEFAULT_HEAP_SHARE = 0.8;

    enum Decision { TAKE, WAIT, REFUSE }

    private final long limit;
    private long reserved;

    MemoryBudget(long limit) {
        if (limit < 1) throw new IllegalArgumentException("memory budget must be positive, found " + limit);
        this.limit = limit;
    }

    /** Reserves {@code bytes} when they fit next to what is held ({@link Decision#TAKE}); otherwise reserves nothing. */
    Decision reserve(long bytes) {
        if (bytes > limit) return Decision.REFUSE;
        if (reserved + bytes > limit) return Decision.WAIT;
        reserved += bytes;
        return Decision.TAKE;
    }

    /** Reserves {@code bytes} even beyond the budget (a job that cannot wait, see {@link InferenceWorker}). */
    void force(long bytes) {
        reserved += bytes;
    }

    void release(long bytes) {
        reserved = Math.max(0, reserved - bytes);
    }

    long reserved() {
        return reserved;
    }

    long limit() {
        return limit;
    }

    /** Why a job of {@code bytes} is refused, for the dead letter and so for the job's failure reason. */
    String refusal(String size, long bytes) {
        return String.format(Locale.ROOT, "refused before running: a %s volume needs about %d MiB of heap with the model's working set, "
                + "more than this worker's memory budget of %d MiB (%.0f%% of its maximum heap of %d MiB by default); run such "
                + "series on workers with a larger heap (-Xmx), or lower the gateway's seg-gateway.volume-limits", size,
                mib(bytes), mib(limit), DEFAULT_HEAP_SHARE * 100, mib(Runtime.getRuntime().maxMemory()));
    }

    private static long mib(long bytes) {
        return (bytes + (1 << 20) - 1) >> 20;
    }
}
