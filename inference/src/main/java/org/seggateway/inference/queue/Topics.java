package org.seggateway.inference.queue;

/** The Kafka topics between the gateway and the inference workers. */
public final class Topics {
    /** Volume jobs: a header record and the voxel chunks of each job, in one transaction, keyed by job id. */
    public static final String JOBS = "seg.jobs";
    /** Label maps (or failures) for finished jobs, and the workers' job starts, keyed by job id. */
    public static final String RESULTS = "seg.results";
    /** Jobs that failed after the bounded number of attempts, with the error. */
    public static final String JOBS_DLQ = "seg.jobs.dlq";

    /** Record header naming what a record holds: {@link #HEADER}, {@link #CHUNK} or {@link #STARTED}. */
    public static final String KIND = "seg-kind";
    /** Record header with the 0-based index of a chunk. */
    public static final String CHUNK_INDEX = "seg-chunk";
    public static final String HEADER = "header";
    public static final String CHUNK = "chunk";
    /** A {@link JobStarted} on {@link #RESULTS}. */
    public static final String STARTED = "started";

    /** Largest chunk value; records are compressed by the producer (compression.type). */
    public static final int MAX_CHUNK_BYTES = 1 << 20;

    private Topics() {
    }
}
