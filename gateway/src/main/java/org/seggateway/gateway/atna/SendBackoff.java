package org.seggateway.gateway.atna;

import java.time.Duration;

/** How long to wait after a failed send: {@code initial} after the first failure, doubled at each next up to {@code max}. */
final class SendBackoff {
    private final Duration initial, max;
    private Duration current;

    SendBackoff(Duration initial, Duration max) {
        this.initial = initial;
        this.max = max;
    }

    /** Records a failure; returns the wait before the next try. */
    Duration failed() {
        current = current == null ? initial : min(current.multipliedBy(2), max);
        return current;
    }

    /** Whether the last failure was the first of its run (the one worth a warning). */
    boolean firstFailure() {
        return current != null && current.equals(initial);
    }

    /** Records a success; true when it ends a run of failures. */
    boolean succeeded() {
        boolean wasFailing = current != null;
        current = null;
        return wasFailing;
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }
}
