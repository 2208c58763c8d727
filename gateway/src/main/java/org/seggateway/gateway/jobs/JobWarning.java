package org.seggateway.gateway.jobs;

import java.sql.Array;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * A finding that did not stop a job, as the API and the worklist show it.
 *
 * @param stage   {@code volume}: repaired while the volume was assembled (jobs.volume_warnings); {@code seg}: a label
 *                not (wholly) in the SEG (results.labels_left_out)
 * @param message in plain words
 */
public record JobWarning(String stage, String message) {

    /** The warnings of a job row: its volume's, then its result's. */
    public static List<JobWarning> of(Array volumeWarnings, Array labelsLeftOut) throws SQLException {
        List<JobWarning> warnings = new ArrayList<>();
        add(warnings, "volume", volumeWarnings);
        add(warnings, "seg", labelsLeftOut);
        return List.copyOf(warnings);
    }

    private static void add(List<JobWarning> to, String stage, Array values) throws SQLException {
        if (values == null) return;
        for (String message : (String[]) values.getArray()) to.add(new JobWarning(stage, message));
    }
}
