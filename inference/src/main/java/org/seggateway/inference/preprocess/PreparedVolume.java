package org.seggateway.inference.preprocess;

/**
 * A volume ready for the sliding window: reoriented, resampled, normalised and padded float32 voxels,
 * with the bookkeeping to map results back. Arrays are per axis x, y, z (model axes).
 *
 * <p>Three nested regions per axis: the model grid ({@code modelSize} voxels, the resampled volume), the
 * cover region ({@code coverSize = max(modelSize, patch)}, the model grid at offset
 * {@code padBefore}) that output tiles cover, and the data array ({@code coverSize + 2 margin}, the cover
 * region at offset {@code margin}) that input tiles read.
 *
 * @param pixelCentres the coordinate convention of the resampling (see {@link ModelGrid}), which the labels'
 *                     way back to the source grid follows
 */
public record PreparedVolume(AxisMapping mapping, int[] sourceSize, int[] modelSize, int[] coverSize,
                             int[] padBefore, int[] margin, float[] data, boolean pixelCentres) {

    public int dataSize(int axis) {
        return coverSize[axis] + 2 * margin[axis];
    }

    public long modelVoxels() {
        return (long) modelSize[0] * modelSize[1] * modelSize[2];
    }
}
