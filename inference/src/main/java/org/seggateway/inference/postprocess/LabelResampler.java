package org.seggateway.inference.postprocess;

import org.seggateway.inference.preprocess.AxisMapping;
import org.seggateway.inference.preprocess.Resampling;

/**
 * Contract step 9: model-grid labels back to the source grid by nearest neighbour through the inverse of
 * the resampling, then the inverse of the reorientation. Each source axis maps to one model axis, so the
 * model-grid offset of a source voxel is a sum of three per-axis lookups.
 */
public final class LabelResampler {
    private LabelResampler() {}

    /**
     * @param labels     model-grid labels, x fastest, {@code modelSize} voxels
     * @param sourceSize source volume size x, y, z
     */
    public static byte[] toSource(byte[] labels, int[] modelSize, int[] sourceSize, AxisMapping mapping) {
        return toSource(labels, modelSize, sourceSize, mapping, false);
    }

    /**
     * @param pixelCentres the convention of the image's resampling: false = align-corners (linear), true =
     *                     pixel centres (cubic, nnunet); the labels go back by the inverse of the same mapping
     */
    public static byte[] toSource(byte[] labels, int[] modelSize, int[] sourceSize, AxisMapping mapping, boolean pixelCentres) {
        int[] modelStride = {1, modelSize[0], modelSize[0] * modelSize[1]};
        long[][] offsets = new long[3][];
        int[] sourceAxis = mapping.sourceAxis();
        boolean[] flip = mapping.flip();
        for (int a = 0; a < 3; a++) {
            int k = sourceAxis[a], n = sourceSize[k];
            offsets[k] = new long[n];
            for (int j = 0; j < n; j++) {
                int r = flip[a] ? n - 1 - j : j;
                int i = pixelCentres ? Resampling.nearestResampledIndexPixelCentres(r, n, modelSize[a])
                        : Resampling.nearestResampledIndex(r, n, modelSize[a]);
                offsets[k][j] = (long) i * modelStride[a];
            }
        }
        long total = (long) sourceSize[0] * sourceSize[1] * sourceSize[2];
        byte[] out = new byte[Math.toIntExact(total)];
        long[] ox = offsets[0], oy = offsets[1], oz = offsets[2];
        int i = 0;
        for (int z = 0; z < sourceSize[2]; z++)
            for (int y = 0; y < sourceSize[1]; y++) {
                long zy = oz[z] + oy[y];
                for (int x = 0; x < sourceSize[0]; x++) out[i++] = labels[(int) (zy + ox[x])];
            }
        return out;
    }
}
