package org.seggateway.inference.window;

/**
 * @param labels        model-grid labels, x fastest
 * @param probabilities per channel on the model grid, or null when not requested
 * @param windows       windows run (without counting mirror flips)
 * @param networkRuns   patches through the network (windows x mirror combinations)
 */
public record WindowResult(byte[] labels, float[][] probabilities, int windows, int networkRuns, WindowTimings timings) {}
