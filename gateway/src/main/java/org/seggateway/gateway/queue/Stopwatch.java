package org.seggateway.gateway.queue;

/** Stage times as the jobs record them: seconds, to the millisecond. */
final class Stopwatch {
    private Stopwatch() {
    }

    static double seconds(long startNanos) {
        return Math.round((System.nanoTime() - startNanos) / 1e6) / 1e3;
    }
}
