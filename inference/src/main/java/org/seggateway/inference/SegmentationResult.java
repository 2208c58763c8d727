package org.seggateway.inference;

import org.seggateway.dicomio.seg.LabelMap;

/**
 * @param labels        on the source volume's grid
 * @param modelGridSize x, y, z voxels of the model grid the network saw (before padding)
 * @param probabilities per channel on the model grid (x fastest), or null unless requested
 * @param windows       sliding-window positions
 */
public record SegmentationResult(LabelMap labels, int[] modelGridSize, float[][] probabilities, int windows,
                                 StageTimings timings) {}
