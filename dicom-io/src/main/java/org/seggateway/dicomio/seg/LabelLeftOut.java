package org.seggateway.dicomio.seg;

/**
 * A label of the label map whose voxels (some or all) are not in the SEG because they lie on slices without a
 * source image: slices the volume reader interpolated for instances missing from the series. A SEG frame must
 * reference the image it was derived from, so such slices get no frame.
 *
 * @param segmentLabel  the segment's label (name) from its description
 * @param voxelsLeftOut labelled voxels of this value on slices without a source image
 * @param voxels        all voxels of this value in the label map
 */
public record LabelLeftOut(int labelValue, String segmentLabel, long voxelsLeftOut, long voxels) {

    /** Whether no voxel of the label reached the SEG (its segment has no frame). */
    public boolean wholly() {
        return voxelsLeftOut == voxels;
    }

    /** In plain words, for the job's warnings. */
    public String describe() {
        String what = "label " + labelValue + " (" + segmentLabel + "): ";
        return wholly()
                ? what + "not in the SEG: all " + voxels + " of its voxels lie on interpolated slices (instances missing from the"
                        + " series), which a SEG frame cannot reference; the segment has no frame"
                : what + voxelsLeftOut + " of its " + voxels + " voxels lie on interpolated slices (instances missing from the"
                        + " series) and are not in the SEG";
    }
}
