package org.seggateway.gateway.worklist;

import java.util.Arrays;
import java.util.Locale;

/**
 * Where a study stands, judged on the latest job of each series and model package (an older, superseded job does
 * not count). The first that holds wins, in this order.
 */
public enum StudyStatus {
    /** a latest job failed, or a delivery of its SEG failed for good */
    FAILED,
    /** a series is still receiving instances */
    RECEIVING,
    /** a job waits to be queued, is queued or running */
    PROCESSING,
    /** every job finished; a SEG is still to be delivered to a destination */
    DELIVERING,
    /** every job finished and every SEG reached every destination */
    DELIVERED,
    /** every job finished (or was skipped) with nothing to deliver */
    DONE,
    /** no route chose a model for any series of the study */
    NO_JOB;

    /** The name in the API and in SQL: lower case with a dash. */
    public String label() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    public static StudyStatus ofLabel(String label) {
        for (StudyStatus s : values()) if (s.label().equals(label.trim().toLowerCase(Locale.ROOT))) return s;
        throw new IllegalArgumentException("unknown study status '" + label + "'; one of "
                + Arrays.stream(values()).map(StudyStatus::label).toList());
    }
}
