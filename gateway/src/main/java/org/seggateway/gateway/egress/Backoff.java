package org.seggateway.gateway.egress;

import java.time.Duration;

/** Exponential backoff: the wait after the n-th failed attempt is initial x factor^(n-1), at most max. */
public record Backoff(Duration initial, double factor, Duration max) {

    public Backoff {
        if (initial.isNegative() || initial.isZero()) throw new IllegalArgumentException("initial backoff must be positive: " + initial);
        if (factor < 1) throw new IllegalArgumentException("backoff factor must be at least 1: " + factor);
        if (max.compareTo(initial) < 0) throw new IllegalArgumentException("max backoff " + max + " is below initial " + initial);
    }

    /** The wait after {@code failedAttempts} (at least 1) failed attempts in a row. */
    public Duration after(int failedAttempts) {
        double millis = initial.toMillis() * Math.pow(factor, Math.max(0, failedAttempts - 1));
        return millis >= max.toMillis() ? max : Duration.ofMillis(Math.round(millis));
    }
}
