package org.seggateway.inference.preprocess;

/**
 * The grid arithmetic of the contract (docs/model-package.md, steps 2 and 9), shared by preprocessing and
 * postprocessing so that both directions use the same numbers.
 */
public final class Resampling {
    private Resampling() {}

    /** Voxels along an axis after resampling: {@code max(1, floor(n * spacing / target + 0.5))}. */
    public static int resampledLength(int n, double spacing, double targetSpacing) {
        return (int) Math.max(1, Math.floor(n * spacing / targetSpacing + 0.5));
    }

    /** Input coordinate that output index {@code i} samples (align-corners): {@code i (n_in - 1) / (n_out - 1)}. */
    public static double sourceCoordinate(int i, int nIn, int nOut) {
        return nOut == 1 ? 0 : (double) i * (nIn - 1) / (nOut - 1);
    }

    /** Resampled index nearest to input index {@code j}: {@code floor(j (n_out - 1) / (n_in - 1) + 0.5)}. */
    public static int nearestResampledIndex(int j, int nIn, int nOut) {
        return nIn == 1 ? 0 : (int) Math.floor((double) j * (nOut - 1) / (nIn - 1) + 0.5);
    }

    /**
     * Model-grid index nearest to source index {@code j} under the pixel-centre convention (cubic, nnunet):
     * {@code floor((j + 0.5) n_out / n_in)}, computed exactly in integers.
     */
    public static int nearestResampledIndexPixelCentres(int j, int nIn, int nOut) {
        return (int) Math.min(nOut - 1, ((2L * j + 1) * nOut) / (2L * nIn));
    }

    /**
     * Mirror index without repeating the edge voxel, repeated as often as needed (period 2 (n - 1)): for
     * n = 4, ... 2 1 | 0 1 2 3 | 2 1 0 1 ...
     */
    public static int reflect(int i, int n) {
        if (n == 1) return 0;
        int period = 2 * (n - 1);
        int r = Math.floorMod(i, period);
        return r < n ? r : period - r;
    }
}
