package org.seggateway.inference.window;

import org.seggateway.inference.model.Blending;

/**
 * Per-voxel weight of a window's output patch (contract step 6), x fastest. Gaussian: product over axes
 * of {@code exp(-(i - (P-1)/2)^2 / (2 sigma^2))} with {@code sigma = P/8}, divided by its maximum, at
 * least 1e-3 (so that borders still count where only one window reaches); computed in double, stored as float.
 */
public final class ImportanceMap {
    private ImportanceMap() {}

    public static float[] of(Blending blending, int px, int py, int pz) {
        float[] w = new float[px * py * pz];
        if (blending == Blending.CONSTANT) {
            java.util.Arrays.fill(w, 1f);
            return w;
        }
        double[] gx = gaussian(px), gy = gaussian(py), gz = gaussian(pz);
        double max = max(gx) * max(gy) * max(gz);
        int i = 0;
        for (int z = 0; z < pz; z++)
            for (int y = 0; y < py; y++)
                for (int x = 0; x < px; x++)
                    w[i++] = (float) Math.max(gz[z] * gy[y] * gx[x] / max, 1e-3);
        return w;
    }

    private static double[] gaussian(int p) {
        double sigma = p / 8.0, centre = (p - 1) / 2.0;
        double[] g = new double[p];
        for (int i = 0; i < p; i++) g[i] = Math.exp(-(i - centre) * (i - centre) / (2 * sigma * sigma));
        return g;
    }

    private static double max(double[] v) {
        double m = 0;
        for (double d : v) m = Math.max(m, d);
        return m;
    }
}
