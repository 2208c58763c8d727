package org.seggateway.inference.preprocess;

import org.seggateway.dicomio.volume.Volume;
import org.seggateway.dicomio.volume.VolumeGeometry;
import org.seggateway.inference.model.ModelManifest;
import org.seggateway.inference.model.Normalization;
import org.seggateway.inference.model.Padding;

/**
 * Steps 1 to 4 of the contract in one pass over the output: each voxel of the padded data array is traced
 * back through the padding (reflection or constant), the resampling (trilinear, align-corners) and the
 * reorientation (permutation and flips) to source coordinates, so no intermediate copy of the volume is
 * made. Peak memory: the source volume plus one float32 array of the padded model grid.
 */
public final class Preprocessor {

    private Preprocessor() {}

    public static PreparedVolume prepare(Volume volume, ModelManifest manifest) {
        VolumeGeometry g = volume.geometry();
        int[] sourceSize = {g.width(), g.height(), g.depth()};
        AxisMapping mapping = manifest.orientation() == null ? AxisMapping.identity()
                : AxisMapping.toOrientation(g.direction(), manifest.orientation());
        int[] reoriented = mapping.modelDimensions(sourceSize);
        double[] spacing = mapping.modelSpacing(g.spacing());
        double[] target = manifest.targetSpacing();

        int[] model = new int[3], cover = new int[3], before = new int[3], margin = new int[3], data = new int[3];
        for (int a = 0; a < 3; a++) {
            model[a] = target == null ? reoriented[a] : Resampling.resampledLength(reoriented[a], spacing[a], target[a]);
            cover[a] = Math.max(model[a], manifest.patchSize().get(a));
            before[a] = (cover[a] - model[a]) / 2;
            margin[a] = manifest.margin(a);
            data[a] = cover[a] + 2 * margin[a];
        }
        long total = (long) data[0] * data[1] * data[2];
        if (total > Integer.MAX_VALUE - 8)
            throw new IllegalArgumentException("series " + volume.seriesInstanceUid() + ": model grid " + data[0] + "x"
                    + data[1] + "x" + data[2] + " is too large for one array; use a coarser target spacing");

        // per data axis: model-grid index of each data index, or -1 for constant padding
        boolean constant = manifest.padding().kind() == Padding.Kind.CONSTANT;
        int[][] modelIndex = new int[3][];
        for (int a = 0; a < 3; a++) modelIndex[a] = modelIndexOfData(data[a], margin[a], cover[a], before[a], model[a], constant);

        // per model axis and model index: source offset of the lower neighbour, offset step to the upper one, fraction
        int[] stride = {1, sourceSize[0], sourceSize[0] * sourceSize[1]};
        long[][] base = new long[3][];
        int[][] step = new int[3][];
        float[][] frac = new float[3][];
        for (int a = 0; a < 3; a++) {
            int k = mapping.sourceAxis()[a];
            boolean flip = mapping.flip()[a];
            int nIn = sourceSize[k];
            base[a] = new long[model[a]];
            step[a] = new int[model[a]];
            frac[a] = new float[model[a]];
            for (int i = 0; i < model[a]; i++) {
                double t = Resampling.sourceCoordinate(i, nIn, model[a]);
                double s = flip ? (nIn - 1) - t : t;
                int lo = Math.max(0, Math.min((int) Math.floor(s), nIn - 2));
                double f = nIn == 1 ? 0 : s - lo;
                base[a][i] = (long) lo * stride[k];
                step[a][i] = nIn == 1 ? 0 : stride[k];
                frac[a][i] = (float) f;
            }
        }

        float raw = (float) manifest.padding().value();
        float[] out = new float[(int) total];
        int[] mx = modelIndex[0], my = modelIndex[1], mz = modelIndex[2];
        VoxelSampler source = VoxelSampler.of(volume);
        for (int z = 0; z < data[2]; z++) {
            int iz = mz[z];
            for (int y = 0; y < data[1]; y++) {
                int iy = my[y];
                int row = (z * data[1] + y) * data[0];
                if (iz < 0 || iy < 0) {
                    java.util.Arrays.fill(out, row, row + data[0], raw);
                    continue;
                }
                long bzy = base[2][iz] + base[1][iy];
                int sz = step[2][iz], sy = step[1][iy];
                float fz = frac[2][iz], fy = frac[1][iy];
                for (int x = 0; x < data[0]; x++) {
                    int ix = mx[x];
                    out[row + x] = ix < 0 ? raw
                            : source.trilinear((int) (bzy + base[0][ix]), step[0][ix], sy, sz, frac[0][ix], fy, fz);
                }
            }
        }
        normalize(out, data, before, margin, model, manifest.normalization(0), volume.seriesInstanceUid());
        return new PreparedVolume(mapping, sourceSize, model, cover, before, margin, out);
    }

    /** Data index -> model-grid index: margin mirrored over the cover region, then padding mirrored or constant. */
    static int[] modelIndexOfData(int dataLength, int margin, int cover, int before, int model, boolean constantPadding) {
        int[] map = new int[dataLength];
        for (int d = 0; d < dataLength; d++) {
            int c = d - margin;
            if (c < 0 || c >= cover) c = Resampling.reflect(c, cover);
            int i = c - before;
            if (i < 0 || i >= model) i = constantPadding ? -1 : Resampling.reflect(i, model);
            map[d] = i;
        }
        return map;
    }

    private static void normalize(float[] v, int[] data, int[] before, int[] margin, int[] model, Normalization n,
                                  String series) {
        switch (n) {
            case Normalization.CtZScore c -> clipAffine(v, (float) c.lo(), (float) c.hi(), (float) c.mean(), (float) c.std());
            case Normalization.CtWindow w -> clipAffine(v, (float) w.lo(), (float) w.hi(), (float) w.lo(), (float) (w.hi() - w.lo()));
            case Normalization.CtPercentileZScore c -> clipAffine(v, (float) c.lo(), (float) c.hi(), (float) c.mean(), (float) c.divisor());
            case Normalization.MrZScore m -> {
                double[] stats = foregroundStats(v, data, before, margin, model, m.foregroundThreshold());
                clipAffine(v, Float.NEGATIVE_INFINITY, Float.POSITIVE_INFINITY, (float) stats[0], (float) stats[1]);
            }
            case Normalization.None none -> { }
        }
    }

    private static void clipAffine(float[] v, float lo, float hi, float shift, float divisor) {
        for (int i = 0; i < v.length; i++) v[i] = (Math.min(Math.max(v[i], lo), hi) - shift) / divisor;
    }

    /** Mean and population std of the model-grid voxels above the threshold (mean 0 if there are none; std 1 if 0). */
    static double[] foregroundStats(float[] v, int[] data, int[] before, int[] margin, int[] model, double threshold) {
        double[] s = sums(v, data, before, margin, model, threshold);
        if (s[0] == 0) return new double[] {0, 1};
        double mean = s[1] / s[0];
        double variance = Math.max(0, s[2] / s[0] - mean * mean);
        double std = Math.sqrt(variance);
        return new double[] {mean, std > 0 ? std : 1};
    }

    private static double[] sums(float[] v, int[] data, int[] before, int[] margin, int[] model, double threshold) {
        double count = 0, sum = 0, squares = 0;
        for (int z = 0; z < model[2]; z++)
            for (int y = 0; y < model[1]; y++) {
                int row = ((z + before[2] + margin[2]) * data[1] + y + before[1] + margin[1]) * data[0] + before[0] + margin[0];
                for (int x = 0; x < model[0]; x++) {
                    double value = v[row + x];
                    if (value > threshold) {
                        count++;
                        sum += value;
                        squares += value * value;
                    }
                }
            }
        return new double[] {count, sum, squares};
    }
}
