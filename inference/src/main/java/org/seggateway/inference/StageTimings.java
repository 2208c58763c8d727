package org.seggateway.inference;

import java.util.Locale;

/**
 * Time per stage of one segmentation, in nanoseconds. Gather, inference and blending overlap in a
 * pipeline, so {@code slidingWindowNanos} (their wall time) is less than their sum.
 *
 * @param preprocessNanos    reorient, resample, normalise, pad
 * @param gatherNanos        copying input patches into batches
 * @param inferenceNanos     inside ONNX Runtime
 * @param blendNanos         softmax/sigmoid, weighting, accumulation, argmax
 * @param slidingWindowNanos wall time of gather + inference + blending
 * @param postprocessNanos   largest component, labels back to the source grid
 * @param totalNanos         wall time of the whole segmentation
 */
public record StageTimings(long preprocessNanos, long gatherNanos, long inferenceNanos, long blendNanos,
                           long slidingWindowNanos, long postprocessNanos, long totalNanos) {

    public String summary() {
        return String.format(Locale.ROOT,
                "preprocess %.2f s, sliding window %.2f s (gather %.2f s, inference %.2f s, blending %.2f s), postprocess %.2f s, total %.2f s",
                s(preprocessNanos), s(slidingWindowNanos), s(gatherNanos), s(inferenceNanos), s(blendNanos),
                s(postprocessNanos), s(totalNanos));
    }

    private static double s(long nanos) {
        return nanos / 1e9;
    }
}
