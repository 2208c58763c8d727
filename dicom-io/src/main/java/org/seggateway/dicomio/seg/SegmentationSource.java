package org.seggateway.dicomio.seg;

import java.util.List;
import java.util.Objects;
import org.seggateway.dicomio.header.DicomHeader;
import org.seggateway.dicomio.volume.SliceSource;
import org.seggateway.dicomio.volume.Volume;
import org.seggateway.dicomio.volume.VolumeGeometry;

/**
 * What a SEG needs from its source series, without the voxels: the grid, the source object of each
 * slice, and the header to copy patient and study from. The gateway keeps this beside a job while the
 * voxels travel to a worker, and builds the SEG from it when the label map comes back.
 *
 * @param slices one per z index of {@code geometry}, in slice order
 * @param header attributes of a source instance (patient, study, equipment are read from it)
 */
public record SegmentationSource(VolumeGeometry geometry, List<SliceSource> slices, DicomHeader header,
                                 String seriesInstanceUid, String frameOfReferenceUid) {

    public SegmentationSource {
        Objects.requireNonNull(geometry, "geometry");
        Objects.requireNonNull(header, "header");
        slices = List.copyOf(slices);
        if (slices.size() != geometry.depth())
            throw new IllegalArgumentException("series " + seriesInstanceUid + ": need one slice source per z index, got "
                    + slices.size() + " for depth " + geometry.depth());
        if (seriesInstanceUid == null || seriesInstanceUid.isBlank())
            throw new IllegalArgumentException("source series UID is missing");
        if (frameOfReferenceUid == null || frameOfReferenceUid.isBlank())
            throw new IllegalArgumentException("series " + seriesInstanceUid
                    + ": no Frame of Reference UID, a SEG cannot be placed on it");
    }

    /** The SEG source of a volume read from DICOM files (one with slice sources and a header). */
    public static SegmentationSource of(Volume volume) {
        if (volume.slices().isEmpty() || volume.header() == null)
            throw new IllegalArgumentException("volume of series " + volume.seriesInstanceUid()
                    + " has no DICOM slice sources or header (not read from files): a SEG cannot reference it");
        return new SegmentationSource(volume.geometry(), volume.slices(), volume.header(),
                volume.seriesInstanceUid(), volume.frameOfReferenceUid());
    }
}
