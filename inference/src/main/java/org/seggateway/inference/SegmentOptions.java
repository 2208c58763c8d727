package org.seggateway.inference;

/**
 * @param largestComponent  keep only the largest 6-connected component of each label (on the model grid,
 *                          before resampling back)
 * @param keepProbabilities also return the blended probabilities on the model grid (tests, small volumes:
 *                          channels x 4 bytes per model-grid voxel)
 */
public record SegmentOptions(boolean largestComponent, boolean keepProbabilities) {
    public static SegmentOptions defaults() {
        return new SegmentOptions(false, false);
    }
}
