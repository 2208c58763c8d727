package org.seggateway.inference.model;

/** Intensity normalisation of one input channel ({@code normalization} in model.json). */
public sealed interface Normalization {

    /** Clip to [lo, hi], then {@code (v - mean) / std}. */
    record CtZScore(double lo, double hi, double mean, double std) implements Normalization {}

    /** Clip to [lo, hi], then {@code (v - lo) / (hi - lo)}. */
    record CtWindow(double lo, double hi) implements Normalization {}

    /**
     * nnU-Net's CTNormalization: clip to the dataset's foreground percentiles [lo, hi] (0.5 and 99.5), then
     * {@code (v - mean) / max(std, 1e-8)} with the dataset's foreground mean and std.
     */
    record CtPercentileZScore(double lo, double hi, double mean, double std) implements Normalization {
        public static final double MIN_STD = 1e-8;

        public double divisor() {
            return Math.max(std, MIN_STD);
        }
    }

    /** z-score with mean and std of the voxels {@code > foregroundThreshold} of each volume. */
    record MrZScore(double foregroundThreshold) implements Normalization {}

    record None() implements Normalization {}
}
