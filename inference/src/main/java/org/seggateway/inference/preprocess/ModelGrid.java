package org.seggateway.inference.preprocess;

import java.util.Arrays;
import org.seggateway.inference.model.ImageResampling;
import org.seggateway.inference.model.ModelManifest;
import org.seggateway.inference.model.Shape3;

/**
 * The model grid of step 2 for one volume (docs/model-package.md, "The arithmetic"): its size and spacing
 * per model axis (x, y, z, after reorientation), the coordinate convention of the resampling method, and
 * the axis nnU-Net's "separate z" resamples with order 0.
 *
 * @param pixelCentres false: align-corners (linear; index i of n_out samples i (n_in - 1) / (n_out - 1));
 *                     true: pixel centres (cubic, nnunet; i samples (i + 0.5) n_in / n_out - 0.5)
 * @param separateAxis the low-resolution model axis resampled by nearest neighbour, -1 for none
 */
public record ModelGrid(int[] size, double[] spacing, boolean pixelCentres, int separateAxis) {

    /** nnU-Net's ANISO_THRESHOLD: a spacing is anisotropic when max / min exceeds it. */
    public static final double ANISOTROPY_THRESHOLD = 3;

    public ModelGrid {
        size = size.clone();
        spacing = spacing.clone();
    }

    /**
     * @param sourceSize    reoriented source size, model axes x, y, z
     * @param sourceSpacing reoriented source spacing in mm, model axes x, y, z
     */
    public static ModelGrid of(int[] sourceSize, double[] sourceSpacing, ModelManifest m) {
        ImageResampling.Interpolation method = m.resampling().image();
        boolean pixelCentres = method != ImageResampling.Interpolation.LINEAR;
        int[] size = new int[3];
        double[] spacing = new double[3];
        double[] target = m.targetSpacing();
        Shape3 shape = m.targetShape();
        for (int a = 0; a < 3; a++) {
            int n = sourceSize[a];
            double s = sourceSpacing[a];
            if (shape != null) {
                size[a] = shape.get(a);
                spacing[a] = !pixelCentres && n > 1 && size[a] > 1 ? s * (n - 1) / (size[a] - 1) : s * n / size[a];
            } else if (target != null) {
                size[a] = method == ImageResampling.Interpolation.NNUNET ? nnunetLength(n, s, target[a])
                        : Resampling.resampledLength(n, s, target[a]);
                spacing[a] = target[a];
            } else {
                size[a] = n;
                spacing[a] = s;
            }
        }
        int separate = method == ImageResampling.Interpolation.NNUNET ? separateAxis(sourceSpacing, spacing) : -1;
        return new ModelGrid(size, spacing, pixelCentres, separate);
    }

    /** nnU-Net's compute_new_shape: {@code round(spacing / target * n)}, half to even, at least 1. */
    static int nnunetLength(int n, double spacing, double target) {
        return (int) Math.max(1, Math.rint(spacing / target * n));
    }

    /**
     * nnU-Net's separate-z rule: the source spacing decides if it is anisotropic (max / min > 3), else the
     * target spacing; the low-resolution axis is the one with the largest spacing of the deciding one. No
     * separate axis when neither is anisotropic or when two or three axes share the largest spacing.
     */
    static int separateAxis(double[] current, double[] target) {
        double[] deciding = anisotropic(current) ? current : anisotropic(target) ? target : null;
        if (deciding == null) return -1;
        double max = Arrays.stream(deciding).max().orElseThrow();
        int axis = -1, count = 0;
        for (int a = 0; a < 3; a++)
            if (max / deciding[a] == 1) {
                axis = a;
                count++;
            }
        return count == 1 ? axis : -1;
    }

    private static boolean anisotropic(double[] spacing) {
        double max = Arrays.stream(spacing).max().orElseThrow(), min = Arrays.stream(spacing).min().orElseThrow();
        return max / min > ANISOTROPY_THRESHOLD;
    }

    /** True when the image is not resampled at all (same size on every axis and no anti-aliasing can apply). */
    public boolean sameSizeAs(int[] sourceSize) {
        return Arrays.equals(size, sourceSize);
    }

    @Override
    public int[] size() {
        return size.clone();
    }

    @Override
    public double[] spacing() {
        return spacing.clone();
    }
}
