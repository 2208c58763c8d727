package org.seggateway.dicomio.volume;

import java.util.List;

/** The image files of one series, as found on disk (not yet sorted or checked). */
public record SeriesFiles(String seriesInstanceUid, List<InstanceFile> instances) {
    public SeriesFiles {
        instances = List.copyOf(instances);
    }
}
