package org.seggateway.gateway.logging;

import org.jboss.logging.MDC;

/**
 * The fields every log line of one piece of work carries (MDC), so that an operator can follow one series or job
 * through the gateway: they appear in the JSON log as fields and in the text log through {@code %X{...}}.
 * Values are UIDs and opaque ids only, never patient data.
 */
public final class LogContext implements AutoCloseable {
    public static final String JOB_ID = "jobId";
    public static final String SERIES_UID = "seriesUid";
    public static final String ASSOCIATION_ID = "associationId";

    private final String[] keys;

    private LogContext(String... keys) {
        this.keys = keys;
    }

    /** Puts {@code key=value} pairs (a null value is left out) until {@link #close()}. */
    public static LogContext with(String... keyValues) {
        if (keyValues.length % 2 != 0) throw new IllegalArgumentException("key/value pairs expected");
        String[] keys = new String[keyValues.length / 2];
        for (int i = 0; i < keys.length; i++) {
            keys[i] = keyValues[2 * i];
            String value = keyValues[2 * i + 1];
            if (value != null) MDC.put(keys[i], value);
        }
        return new LogContext(keys);
    }

    public static LogContext job(Object jobId, String seriesUid) {
        return with(JOB_ID, jobId == null ? null : jobId.toString(), SERIES_UID, seriesUid);
    }

    @Override
    public void close() {
        for (String key : keys) MDC.remove(key);
    }
}
