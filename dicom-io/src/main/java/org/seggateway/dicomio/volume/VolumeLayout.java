package org.seggateway.dicomio.volume;

import java.util.List;
import org.seggateway.dicomio.header.DicomHeader;

/**
 * A {@link Volume} without its voxels: what {@link VolumeReader#layout(SeriesFiles)} finds in the headers.
 * Same grid, slice sources (interpolated slices included) and header as the volume read from the same files.
 */
public record VolumeLayout(String seriesInstanceUid, String frameOfReferenceUid, VolumeGeometry geometry,
                           List<SliceSource> slices, DicomHeader header, List<String> warnings) {
    public VolumeLayout {
        slices = List.copyOf(slices);
        warnings = List.copyOf(warnings);
    }
}
