package org.seggateway.inference.model;

/** Intensity normalisation of the manifest ({@code normalization.kind}). */
public sealed interface Normalization {

    /** Clip to [lo, hi], then {@code (v - mean) / std}. */
    record CtZScore(double lo, double hi, double mean, double std) implements Normalization {}

    /** Clip to [lo, hi], then {@code (v - lo) / (hi - lo)}. */
    record CtWindow(double lo, double hi) implements Normalization {}

    /** z-score with mean and std of the voxels {@code > foregroundThreshold} of each volume. */
    record MrZScore(double foregroundThreshold) implements Normalization {}

    record None() implements Normalization {}
}
