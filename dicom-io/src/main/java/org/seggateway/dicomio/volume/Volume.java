package org.seggateway.dicomio.volume;

import java.util.List;
import java.util.Objects;
import org.seggateway.dicomio.header.DicomHeader;

/**
 * One series assembled into a 3D voxel array with its geometry.
 *
 * <p>Voxels are modality values (stored value x Rescale Slope + Rescale Intercept) in the order of
 * {@link VolumeGeometry}; {@link #voxelType()} says which array holds them: {@link #int16Voxels()} for
 * INT16 and UINT16 (read UINT16 values with {@code & 0xFFFF}), {@link #float32Voxels()} for FLOAT32.
 *
 * @param slices  the source object of each z index, in slice order (size = depth); empty for a volume
 *                that did not come from DICOM files (e.g. reassembled from the job queue)
 * @param header  attributes of the first source instance without its pixel data (patient, study, series)
 * @param warnings geometry or content findings that did not stop assembly, each naming the series
 */
public record Volume(
        String seriesInstanceUid,
        String frameOfReferenceUid,
        VolumeGeometry geometry,
        List<SliceSource> slices,
        DicomHeader header,
        VoxelType voxelType,
        short[] int16Voxels,
        float[] float32Voxels,
        List<String> warnings) {

    public Volume {
        Objects.requireNonNull(geometry, "geometry");
        Objects.requireNonNull(voxelType, "voxelType");
        slices = List.copyOf(slices);
        warnings = List.copyOf(warnings);
        if (!slices.isEmpty() && slices.size() != geometry.depth())
            throw new IllegalArgumentException("need one slice source per z index: " + slices.size() + " != " + geometry.depth());
        long n = geometry.voxelCount();
        if (voxelType == VoxelType.FLOAT32 ? float32Voxels == null || float32Voxels.length != n
                : int16Voxels == null || int16Voxels.length != n)
            throw new IllegalArgumentException("voxel array does not match " + voxelType + " and " + n + " voxels");
    }

    /** Voxel value at a linear index, whatever the voxel type. */
    public float value(int index) {
        return switch (voxelType) {
            case INT16 -> int16Voxels[index];
            case UINT16 -> int16Voxels[index] & 0xFFFF;
            case FLOAT32 -> float32Voxels[index];
        };
    }
}
