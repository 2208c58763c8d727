package org.seggateway.gateway.queue;

/** A job that cannot go on the queue through a fault of its own (its series, its model package, its records): it fails. */
final class JobNotQueueable extends Exception {
    private final String stage;

    JobNotQueueable(String stage, String reason) {
        super(reason, null, false, false);
        this.stage = stage;
    }

    /** Where it failed: {@code assemble} or {@code publish}. */
    String stage() {
        return stage;
    }
}
