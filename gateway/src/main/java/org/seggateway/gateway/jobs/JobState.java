package org.seggateway.gateway.jobs;

/** The life of a job; the database refuses any other value. */
public enum JobState {
    RECEIVED, COMPLETE, QUEUED, RUNNING, DONE, FAILED, SKIPPED,
    /** A batch job taken off its batch before it reached the queue. */
    CANCELLED;

    public String column() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
