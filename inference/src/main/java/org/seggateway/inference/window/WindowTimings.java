package org.seggateway.inference.window;

/**
 * Where the sliding window spent its time. The three stages overlap (gathering the next batch and blending
 * the previous one run while the network runs), so their sum can exceed {@code wallNanos}.
 *
 * @param gatherNanos    copying (and flipping) input patches into batches
 * @param inferenceNanos inside the network
 * @param blendNanos     softmax/sigmoid, weighting, accumulation, normalisation and argmax
 */
public record WindowTimings(long gatherNanos, long inferenceNanos, long blendNanos, long wallNanos) {}
