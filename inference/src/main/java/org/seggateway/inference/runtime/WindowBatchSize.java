package org.seggateway.inference.runtime;

import org.seggateway.inference.model.ModelManifest;

/**
 * How many windows one network run takes on a GPU: as many as the free GPU memory holds, judged from an estimate of
 * one window's working set inside the network, between the manifest's batchSize and the configured maximum. On CPU,
 * or for a model whose batch dimension is fixed, the manifest's batchSize stays.
 */
public final class WindowBatchSize {
    /**
     * Floats a 3D U-Net keeps alive per input voxel at its widest point, used when no per-window figure is configured:
     * a full-resolution stage of 32 channels holds its skip tensor, the convolution's output, the normalised copy and
     * the concatenation (64 channels) at once, about 5 x 32 floats per voxel. Smaller networks need less, so this errs
     * on the safe side.
     */
    static final int FLOATS_PER_VOXEL = 160;
    /** Left free for the CUDA context, cuDNN's workspace and the arena's slack. */
    static final long RESERVE_BYTES = 2L << 30;
    /** Share of the free memory (after the reserve) the windows may use. */
    static final double USABLE_SHARE = 0.8;

    private WindowBatchSize() {}

    /** One window's GPU working set by {@link #FLOATS_PER_VOXEL}. */
    public static long estimate(ModelManifest m) {
        return (long) FLOATS_PER_VOXEL * Float.BYTES * Math.max(m.patchSize().voxels(), m.outputPatchSize().voxels());
    }

    /**
     * @param freeBytes      free GPU memory now
     * @param bytesPerWindow one window's working set
     * @param manifestBatch  the manifest's batchSize (the floor, unless memory does not allow even that)
     * @param maxBatch       the ceiling
     */
    public static int fromFreeMemory(long freeBytes, long bytesPerWindow, int manifestBatch, int maxBatch) {
        if (bytesPerWindow <= 0) throw new IllegalArgumentException("bytes per window must be positive, got " + bytesPerWindow);
        long usable = (long) ((freeBytes - RESERVE_BYTES) * USABLE_SHARE);
        long fits = Math.max(1, usable / bytesPerWindow);
        if (fits < manifestBatch) return (int) fits; // not even the manifest's batch fits: fewer windows, no out-of-memory
        return (int) Math.max(manifestBatch, Math.min(fits, maxBatch));
    }
}
