package org.seggateway.inference.preprocess;

import java.util.List;

/**
 * A volume ready for the sliding window: reoriented, resampled and padded float32 voxels (in input units,
 * not yet normalised), the normalisation of each model input channel, and the bookkeeping to map results
 * back. Arrays are per axis x, y, z (model axes).
 *
 * <p>Three nested regions per axis: the model grid ({@code modelSize} voxels, the resampled volume), the
 * cover region ({@code coverSize = max(modelSize, patch)}, the model grid at offset
 * {@code padBefore}) that output tiles cover, and the data array ({@code coverSize + 2 margin}, the cover
 * region at offset {@code margin}) that input tiles read.
 *
 * @param channels     one transform per model input channel, applied to {@code data} as windows are gathered
 * @param pixelCentres the coordinate convention of the resampling (see {@link ModelGrid}), which the labels'
 *                     way back to the source grid follows
 */
public record PreparedVolume(AxisMapping mapping, int[] sourceSize, int[] modelSize, int[] coverSize,
                             int[] padBefore, int[] margin, float[] data, List<IntensityTransform> channels,
                             boolean pixelCentres) {

    public PreparedVolume {
        channels = List.copyOf(channels);
    }

    public int dataSize(int axis) {
        return coverSize[axis] + 2 * margin[axis];
    }

    public long modelVoxels() {
        return (long) modelSize[0] * modelSize[1] * modelSize[2];
    }

    /** The same volume with the normalisation of each input channel. */
    public PreparedVolume withChannels(List<IntensityTransform> transforms) {
        return new PreparedVolume(mapping, sourceSize, modelSize, coverSize, padBefore, margin, data, transforms, pixelCentres);
    }

    /** The same bookkeeping without the voxels (they are not needed after the sliding window). */
    public PreparedVolume withoutData() {
        return new PreparedVolume(mapping, sourceSize, modelSize, coverSize, padBefore, margin, null, channels, pixelCentres);
    }
}
