package org.seggateway.inference.window;

import org.seggateway.inference.model.OutputKind;

/**
 * Weighted sum of window probabilities (contract steps 7 and 8) over a ring of z slices only as deep as
 * the output patch: windows arrive z-row by z-row, and once every window of a row is in, the slices below
 * the next row's start are final: they are normalised, turned into labels, written to the model-grid label
 * array, and their ring slots reused. Memory: (channels + 1) x patch depth x cover width x cover height
 * floats, independent of the volume's depth.
 */
public final class SlabAccumulator {

    private final OutputKind kind;
    private final int channels, depth, sx, sy, slice;
    private final int[] before, model, labelOfChannel;
    private final float[][] sums;
    private final float[] weights;
    private final byte[] labels;
    private final float[][] probabilities;
    private int finishedBelow;
    private float[][] rowBuffers;

    /**
     * @param labelOfChannel label value (0..255) each output channel yields, 0 for channels that are background
     * @param cover      cover region size x, y, z (the coordinates of window starts)
     * @param patchDepth output patch z
     * @param before     offset of the model grid in the cover region, x, y, z
     * @param model      model grid size x, y, z: the labels (and probabilities) produced
     * @param keepProbabilities also keep normalised probabilities per channel on the model grid (small volumes)
     */
    public SlabAccumulator(OutputKind kind, int[] labelOfChannel, int[] cover, int patchDepth, int[] before, int[] model,
                           boolean keepProbabilities) {
        this.kind = kind;
        this.channels = labelOfChannel.length;
        this.labelOfChannel = labelOfChannel.clone();
        for (int v : labelOfChannel)
            if (v < 0 || v > 255) throw new IllegalArgumentException("label values are 0..255, got " + v);
        this.depth = Math.min(patchDepth, cover[2]);
        this.sx = cover[0];
        this.sy = cover[1];
        this.slice = sx * sy;
        this.before = before.clone();
        this.model = model.clone();
        long ring = (long) slice * depth;
        if (ring > Integer.MAX_VALUE - 8) throw new IllegalArgumentException("accumulator slab too large: " + ring);
        this.sums = new float[channels][(int) ring];
        this.weights = new float[(int) ring];
        long voxels = (long) model[0] * model[1] * model[2];
        this.labels = new byte[Math.toIntExact(voxels)];
        this.probabilities = keepProbabilities ? new float[channels][Math.toIntExact(voxels)] : null;
    }

    /** Bytes this accumulator allocates: ring, labels and kept probabilities. */
    public static long bytesNeeded(int channels, int[] cover, int patchDepth, int[] model, boolean keepProbabilities) {
        long ring = (long) cover[0] * cover[1] * Math.min(patchDepth, cover[2]) * (channels + 1) * 4;
        long voxels = (long) model[0] * model[1] * model[2];
        return ring + voxels + (keepProbabilities ? voxels * channels * 4 : 0);
    }

    /**
     * Adds one network output: {@code output[offset ...]} holds channels x pz x py x px logits of a window whose
     * output tile starts at {@code start} (cover coordinates), computed on the input flipped along
     * {@code flips}; each probability is added with weight {@code importance x scale}. Works row by row on
     * contiguous arrays so that the JIT can vectorise every loop (including {@link FastExp}).
     */
    public void add(float[] output, int offset, int[] start, int px, int py, int pz, float[] importance, float scale,
                    boolean[] flips) {
        if (start[2] < finishedBelow) throw new IllegalStateException("window at z " + start[2] + " after slices below " + finishedBelow + " were finished");
        finishBelow(start[2]); // windows come z-row by z-row: nothing below this row's start changes any more
        int voxels = px * py * pz;
        float[][] rows = rowBuffers(px);
        float[] max = rows[channels], sum = rows[channels + 1], weight = rows[channels + 2];
        for (int oz = 0; oz < pz; oz++) {
            int z = flips[2] ? pz - 1 - oz : oz;
            int ring = ((start[2] + z) % depth) * slice;
            for (int oy = 0; oy < py; oy++) {
                int y = flips[1] ? py - 1 - oy : oy;
                int target = ring + (start[1] + y) * sx + start[0];
                int src = offset + (oz * py + oy) * px;
                for (int c = 0; c < channels; c++) {
                    float[] row = rows[c];
                    if (!flips[0]) System.arraycopy(output, src + c * voxels, row, 0, px);
                    else for (int x = 0; x < px; x++) row[x] = output[src + c * voxels + px - 1 - x];
                }
                int wRow = (z * py + y) * px;
                for (int x = 0; x < px; x++) weight[x] = importance[wRow + x] * scale;
                if (kind == OutputKind.SIGMOID) {
                    for (int c = 0; c < channels; c++) {
                        float[] row = rows[c];
                        for (int x = 0; x < px; x++) row[x] = weight[x] / (1f + FastExp.exp(-row[x]));
                    }
                } else {
                    System.arraycopy(rows[0], 0, max, 0, px);
                    for (int c = 1; c < channels; c++) {
                        float[] row = rows[c];
                        for (int x = 0; x < px; x++) max[x] = Math.max(max[x], row[x]);
                    }
                    java.util.Arrays.fill(sum, 0, px, 0f);
                    for (int c = 0; c < channels; c++) {
                        float[] row = rows[c];
                        for (int x = 0; x < px; x++) {
                            float e = FastExp.exp(row[x] - max[x]);
                            row[x] = e;
                            sum[x] += e;
                        }
                    }
                    for (int x = 0; x < px; x++) sum[x] = weight[x] / sum[x];
                    for (int c = 0; c < channels; c++) {
                        float[] row = rows[c];
                        for (int x = 0; x < px; x++) row[x] *= sum[x];
                    }
                }
                for (int c = 0; c < channels; c++) {
                    float[] row = rows[c], acc = sums[c];
                    for (int x = 0; x < px; x++) acc[target + x] += row[x];
                }
                for (int x = 0; x < px; x++) weights[target + x] += weight[x];
            }
        }
    }

    private float[][] rowBuffers(int px) {
        if (rowBuffers == null || rowBuffers[0].length < px) rowBuffers = new float[channels + 3][px];
        return rowBuffers;
    }

    /** Finalises every slice with z below {@code z} (cover coordinates): no later window may reach them. */
    public void finishBelow(int z) {
        for (int s = finishedBelow; s < z; s++) finishSlice(s);
        finishedBelow = Math.max(finishedBelow, z);
    }

    private void finishSlice(int s) {
        int ring = (s % depth) * slice;
        int mz = s - before[2];
        if (mz >= 0 && mz < model[2]) {
            float[] p = new float[channels];
            for (int my = 0; my < model[1]; my++) {
                int row = ring + (my + before[1]) * sx + before[0];
                int out = (mz * model[1] + my) * model[0];
                for (int mx = 0; mx < model[0]; mx++) {
                    int t = row + mx;
                    float w = weights[t];
                    if (!(w > 0)) throw new IllegalStateException("voxel (" + mx + ", " + my + ", " + mz + ") was covered by no window");
                    for (int c = 0; c < channels; c++) p[c] = sums[c][t] / w;
                    labels[out + mx] = (byte) label(p);
                    if (probabilities != null) for (int c = 0; c < channels; c++) probabilities[c][out + mx] = p[c];
                }
            }
        }
        for (float[] sum : sums) java.util.Arrays.fill(sum, ring, ring + slice, 0f);
        java.util.Arrays.fill(weights, ring, ring + slice, 0f);
    }

    /** Softmax: the most probable channel (ties to the lower); sigmoid: the most probable above 0.5, if any. */
    private int label(float[] p) {
        if (kind == OutputKind.SOFTMAX) {
            int best = 0;
            for (int c = 1; c < channels; c++) if (p[c] > p[best]) best = c;
            return labelOfChannel[best];
        }
        int best = -1;
        float bestP = 0.5f;
        for (int c = 0; c < channels; c++)
            if (p[c] > bestP) {
                best = c;
                bestP = p[c];
            }
        return best < 0 ? 0 : labelOfChannel[best];
    }

    /** Finalises the remaining slices, up to the cover depth. */
    public void finish(int coverDepth) {
        finishBelow(coverDepth);
    }

    /** Model-grid labels (x fastest, unsigned bytes: read with {@code & 0xFF}); complete after {@link #finish}. */
    public byte[] labels() {
        return labels;
    }

    /** Normalised probabilities per channel on the model grid, or null when not kept. */
    public float[][] probabilities() {
        return probabilities;
    }
}
