package org.seggateway.dicomio.volume;

import java.util.Locale;

/**
 * Bounds on one volume, checked by {@link VolumeReader#read(SeriesFiles, VolumeLimits)} from the headers alone,
 * before any pixel is read or any voxel array allocated, so that a series whose headers claim a huge size is
 * refused with a {@link VolumeException} instead of exhausting the heap.
 *
 * @param maxVoxels               width x height x depth, the depth counted after gap interpolation; at most
 *                                {@link #ARRAY_LIMIT} (one Java array holds the voxels)
 * @param maxBytes                voxel arrays held while the volume is assembled: 2 bytes per voxel, plus 4 per voxel
 *                                when the values may need FLOAT32 (a non-integer Rescale Slope or Intercept, or a
 *                                rescaled range that does not fit 16 bits), since both arrays exist for a moment
 * @param maxInterpolatedFraction missing slices filled by interpolation, as a share of the depth (0 to refuse any
 *                                gap); each gap is further limited to {@link SliceStack#MAX_INTERPOLATED_GAP} slices
 */
public record VolumeLimits(long maxVoxels, long maxBytes, double maxInterpolatedFraction) {
    /** The largest voxel count one Java array can hold. */
    public static final long ARRAY_LIMIT = Integer.MAX_VALUE - 8;

    /** 512 Mi voxels (e.g. 512 x 512 x 2048), 2 GiB of voxel arrays, a quarter of the slices interpolated. */
    public static final VolumeLimits DEFAULTS = new VolumeLimits(512L << 20, 2L << 30, 0.25);

    public VolumeLimits {
        if (maxVoxels < 1 || maxVoxels > ARRAY_LIMIT)
            throw new IllegalArgumentException("max-voxels must be between 1 and " + ARRAY_LIMIT + ", found " + maxVoxels);
        if (maxBytes < 2)
            throw new IllegalArgumentException("max-bytes must be at least 2, found " + maxBytes);
        if (!(maxInterpolatedFraction >= 0 && maxInterpolatedFraction < 1))
            throw new IllegalArgumentException("max-interpolated-fraction must be at least 0 and below 1, found " + maxInterpolatedFraction);
    }

    /**
     * Refuses a grid above the voxel or byte limit.
     *
     * @param mayBeFloat whether the values may need a FLOAT32 array besides the 16-bit one read first
     */
    void checkSize(String seriesUid, VolumeGeometry g, boolean mayBeFloat) throws VolumeException {
        long voxels = g.voxelCount();
        String size = g.width() + "x" + g.height() + "x" + g.depth();
        if (voxels > maxVoxels)
            throw new VolumeException(seriesUid, "volume of " + size + " = " + voxels + " voxels exceeds the limit of " + maxVoxels
                    + " voxels (volume limit max-voxels); refused before reading pixel data");
        long bytes = voxels * (mayBeFloat ? 6 : 2);
        if (bytes > maxBytes)
            throw new VolumeException(seriesUid, "volume of " + size + " needs up to " + bytes + " bytes of voxel arrays ("
                    + (mayBeFloat ? "2 bytes per voxel while reading + 4 for its FLOAT32 values" : "2 bytes per voxel")
                    + "), more than the limit of " + maxBytes + " bytes (volume limit max-bytes); refused before reading pixel data");
    }

    /** Refuses a stack in which more than the allowed share of slices would be invented by interpolation. */
    void checkInterpolation(String seriesUid, int depth, int acquiredSlices) throws VolumeException {
        int interpolated = depth - acquiredSlices;
        if (interpolated > 0 && interpolated > maxInterpolatedFraction * depth)
            throw new VolumeException(seriesUid, interpolated + " of " + depth + " slices are missing and would be interpolated ("
                    + percent(interpolated / (double) depth) + "), more than the limit of " + percent(maxInterpolatedFraction)
                    + " of the depth (volume limit max-interpolated-fraction)");
    }

    private static String percent(double share) {
        return String.format(Locale.ROOT, "%.0f%%", share * 100);
    }
}
