package org.seggateway.gateway.jobs;

/** The life of a job; the database refuses any other value. */
public enum JobState {
    RECEIVED, COMPLETE, QUEUED, RUNNING, DONE, FAILED, SKIPPED;

    public String column() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
