package org.seggateway.dicomio.measure;

/**
 * What one segment of a label map measures on its source grid.
 *
 * @param labelValue        the label value in the label map
 * @param voxelCount        voxels carrying the label
 * @param volumeMl          voxelCount x the volume of one voxel (the product of the grid's spacings), in mL
 * @param mean              mean of the modality values inside (rescaled: HU for CT); NaN when the segment is empty
 * @param min               smallest modality value inside; NaN when empty
 * @param max               largest modality value inside; NaN when empty
 * @param standardDeviation population standard deviation (divided by n) of the values inside; NaN when empty
 * @param boundingBoxMin    smallest patient coordinates (LPS, mm) of the centres of the voxels inside; null when empty
 * @param boundingBoxMax    largest patient coordinates (LPS, mm) of the centres of the voxels inside; null when empty
 * @param components        connected components, neighbours sharing a face, an edge or a corner ({@link #CONNECTIVITY})
 * @param laterality        the left/right split, or null where the segment's label did not ask for one
 */
public record SegmentStatistics(int labelValue, long voxelCount, double volumeMl, double mean, double min, double max,
                                double standardDeviation, double[] boundingBoxMin, double[] boundingBoxMax,
                                int components, LateralSplit laterality) {

    /** The neighbourhood components are counted with: 26, every voxel touching a face, an edge or a corner. */
    public static final int CONNECTIVITY = 26;

    public SegmentStatistics {
        boundingBoxMin = boundingBoxMin == null ? null : boundingBoxMin.clone();
        boundingBoxMax = boundingBoxMax == null ? null : boundingBoxMax.clone();
    }

    @Override
    public double[] boundingBoxMin() {
        return boundingBoxMin == null ? null : boundingBoxMin.clone();
    }

    @Override
    public double[] boundingBoxMax() {
        return boundingBoxMax == null ? null : boundingBoxMax.clone();
    }

    /**
     * A paired structure's segment cut by the sagittal plane x = {@code planeX} (patient LPS, mm) through the segment's
     * own centroid: voxels whose centre has a larger x lie on the patient's left, the others on the right.
     */
    public record LateralSplit(double planeX, long leftVoxels, double leftMl, long rightVoxels, double rightMl) {
    }
}
