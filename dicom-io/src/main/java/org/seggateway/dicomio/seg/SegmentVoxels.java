package org.seggateway.dicomio.seg;

import java.util.BitSet;
import java.util.SortedMap;
import org.seggateway.dicomio.volume.VolumeGeometry;

/**
 * One segment of a SEG read back on its source grid.
 *
 * @param voxels        set bits are the segment's voxels, indexed in the grid's voxel order (x fastest, then y, z)
 * @param sourceBySlice per slice index z that has a frame of this segment: the SOP Instance UID the frame names
 *                      as its source image (null where it names none)
 */
public record SegmentVoxels(int segmentNumber, String label, VolumeGeometry grid, BitSet voxels,
                            SortedMap<Integer, String> sourceBySlice) {
    public int voxelCount() {
        return voxels.cardinality();
    }
}
