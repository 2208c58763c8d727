package org.seggateway.inference.preprocess;

import org.seggateway.inference.model.ImageResampling;

/**
 * Step 2 for every method but plain {@code linear}: per-axis passes over a float32 copy of the reoriented
 * volume (docs/model-package.md, "The arithmetic", 2b-2d). In order: anti-aliasing (a Gaussian pass along each
 * axis that an interpolating pass shrinks), one interpolating pass per axis whose length changes (x, then y,
 * then z; linear or cubic B-spline), the clip of the cubic methods to the input's value range (per slice of the
 * separate axis under nnU-Net's separate z, else over the whole volume), and last the nearest-neighbour pass
 * along the separate axis. An axis whose length does not change is not touched. Peak memory: the input
 * and the output of the largest pass.
 */
final class SeparableResampler {
    private SeparableResampler() {}

    /**
     * @param size on entry the size of {@code image} (model axes), on return {@code grid.size()}
     * @return the resampled image (may be {@code image} itself)
     */
    static float[] resample(float[] image, int[] size, ModelGrid grid, ImageResampling resampling) {
        boolean cubic = resampling.image() != ImageResampling.Interpolation.LINEAR;
        int separate = grid.separateAxis();
        int[] target = grid.size();
        int[] in = size.clone();
        double[][] bounds = cubic ? bounds(image, size, separate) : null;
        if (resampling.antialias())
            for (int a = 0; a < 3; a++) {
                double sigma = GaussianLine.antialiasSigma(in[a], target[a]);
                int n = size[a];
                if (a != separate && sigma > 0) image = SeparablePass.along(image, size, a, () -> new GaussianLine(n, sigma));
            }
        for (int a = 0; a < 3; a++) {
            if (a == separate || size[a] == target[a]) continue;
            int n = size[a], m = target[a];
            image = SeparablePass.along(image, size, a, () -> cubic ? new CubicBSplineLine(n, m) : new LinearLine(n, m));
        }
        if (cubic) clip(image, size, separate, bounds);
        if (separate >= 0 && size[separate] != target[separate]) {
            int n = size[separate], m = target[separate];
            image = SeparablePass.along(image, size, separate, () -> new NearestLine(n, m));
        }
        return image;
    }

    /** {min, max} of the whole image (axis -1) or of each slice across {@code axis}. */
    private static double[][] bounds(float[] v, int[] size, int axis) {
        int slices = axis < 0 ? 1 : size[axis];
        double[][] b = new double[slices][] ;
        for (int s = 0; s < slices; s++) b[s] = new double[] {Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY};
        forEach(v, size, axis, (i, s) -> {
            b[s][0] = Math.min(b[s][0], v[i]);
            b[s][1] = Math.max(b[s][1], v[i]);
        });
        return b;
    }

    private static void clip(float[] v, int[] size, int axis, double[][] b) {
        forEach(v, size, axis, (i, s) -> v[i] = (float) Math.min(Math.max(v[i], b[s][0]), b[s][1]));
    }

    private interface VoxelVisitor {
        void visit(int index, int slice);
    }

    private static void forEach(float[] v, int[] size, int axis, VoxelVisitor visitor) {
        int i = 0;
        for (int z = 0; z < size[2]; z++)
            for (int y = 0; y < size[1]; y++)
                for (int x = 0; x < size[0]; x++, i++)
                    visitor.visit(i, axis == 0 ? x : axis == 1 ? y : axis == 2 ? z : 0);
    }
}
