package org.seggateway.dicomio.seg;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TreeSet;

/**
 * The frames of a BINARY SEG: one per (segment, slice) where the segment has at least one voxel,
 * segment-major, then slice order. Segment Numbers of a BINARY SEG must run 1, 2, 3... (PS3.3 C.8.20.2),
 * so segment {@code n} is the n-th described label value in ascending order; it equals the label value
 * when the labels are 1..n.
 *
 * <p>A SEG must have at least one frame. When the label map has no labelled voxel at all (a model that
 * found nothing), the plan holds one all-empty frame of the first segment on the first slice, so that
 * "nothing found" is still a valid SEG that reaches the PACS; {@link #placeholderOnly()} says so.
 */
/**
 * <p>Slices without a source image (filled by interpolation when the series lacks an instance) get no
 * frame: a SEG frame must reference the image it was derived from. Their labelled voxels are counted in
 * {@link #voxelsOnSlicesWithoutSource()}.
 *
 * @param segmentsWithoutFrames label values described but absent from the label map, or present on slices without
 *                              a source image only
 * @param labelsLeftOut         the labels with voxels on slices without a source image, in label value order
 */
record FramePlan(List<Frame> frames, List<Integer> segmentsWithoutFrames, boolean placeholderOnly,
                 long voxelsOnSlicesWithoutSource, List<LabelLeftOut> labelsLeftOut) {

    record Frame(int segmentNumber, int labelValue, int z) {}

    private static final VarHandle WORDS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    /**
     * @param segments    sorted by label value, without duplicates
     * @param hasSource   per z: does the slice have a source image to reference
     */
    /**
     * Adds to {@code counts[v]} the voxels of label value {@code v} > 0 in {@code labels[from..to)}; {@code counts[0]} is
     * left incomplete. Background in whole 8-byte words, most of a label map, is skipped a word at a time.
     */
    static void countLabels(byte[] labels, int from, int to, int[] counts) {
        int i = from;
        for (; i + Long.BYTES <= to; i += Long.BYTES) {
            if ((long) WORDS.get(labels, i) == 0) continue;
            for (int k = i; k < i + Long.BYTES; k++) counts[labels[k] & 0xFF]++;
        }
        for (; i < to; i++) counts[labels[i] & 0xFF]++;
    }

    static FramePlan of(LabelMap labelMap, List<SegmentDescription> segments, boolean[] hasSource,
                        String seriesInstanceUid) {
        int sliceSize = labelMap.width() * labelMap.height(), depth = labelMap.depth();
        byte[] labels = labelMap.labels();
        // present[value][z]: does label value occur on slice z
        boolean[][] present = new boolean[256][];
        long[] count = new long[256], countWithoutSource = new long[256];
        long withoutSource = 0;
        int[] onSlice = new int[256];
        for (int z = 0; z < depth; z++) {
            Arrays.fill(onSlice, 0);
            countLabels(labels, z * sliceSize, (z + 1) * sliceSize, onSlice);
            for (int value = 1; value < 256; value++) {
                int n = onSlice[value];
                if (n == 0) continue;
                count[value] += n;
                if (!hasSource[z]) {
                    withoutSource += n;
                    countWithoutSource[value] += n;
                }
                boolean[] slices = present[value];
                if (slices == null) slices = present[value] = new boolean[depth];
                slices[z] = true;
            }
        }
        boolean[] described = new boolean[256];
        for (SegmentDescription s : segments) described[s.labelValue()] = true;
        TreeSet<Integer> undescribed = new TreeSet<>();
        for (int value = 1; value < 256; value++)
            if (present[value] != null && !described[value]) undescribed.add(value);
        if (!undescribed.isEmpty())
            throw new IllegalArgumentException("label map for series " + seriesInstanceUid + " has label values "
                    + undescribed + " that no segment description names");

        List<LabelLeftOut> leftOut = new ArrayList<>();
        for (SegmentDescription s : segments)
            if (countWithoutSource[s.labelValue()] > 0)
                leftOut.add(new LabelLeftOut(s.labelValue(), s.label(), countWithoutSource[s.labelValue()], count[s.labelValue()]));

        List<Frame> frames = new ArrayList<>();
        List<Integer> withoutFrames = new ArrayList<>();
        for (int n = 0; n < segments.size(); n++) {
            int value = segments.get(n).labelValue();
            boolean[] slices = present[value];
            if (slices == null) {
                withoutFrames.add(value);
                continue;
            }
            boolean framed = false;
            for (int z = 0; z < depth; z++)
                if (slices[z] && hasSource[z]) {
                    frames.add(new Frame(n + 1, value, z));
                    framed = true;
                }
            if (!framed) withoutFrames.add(value);
        }
        if (frames.isEmpty()) {
            int z = 0;
            while (z < depth && !hasSource[z]) z++;
            if (z == depth) throw new IllegalArgumentException("series " + seriesInstanceUid + " has no source image to reference");
            // slice z has a source and no frame, so it holds no labelled voxel: the frame is all zero
            return new FramePlan(List.of(new Frame(1, segments.getFirst().labelValue(), z)), withoutFrames, true,
                    withoutSource, List.copyOf(leftOut));
        }
        return new FramePlan(List.copyOf(frames), withoutFrames, false, withoutSource, List.copyOf(leftOut));
    }
}
