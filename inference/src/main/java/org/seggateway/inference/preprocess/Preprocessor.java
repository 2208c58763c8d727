package org.seggateway.inference.preprocess;

import org.seggateway.dicomio.volume.Volume;
import org.seggateway.dicomio.volume.VolumeGeometry;
import org.seggateway.inference.model.ImageResampling;
import org.seggateway.inference.model.ModelManifest;
import org.seggateway.inference.model.Normalization;
import org.seggateway.inference.model.Padding;

/**
 * Steps 1 to 4 of the contract. With {@code linear} resampling and no anti-aliasing in one pass over the
 * output: each voxel of the padded data array is traced back through the padding (reflection or constant),
 * the resampling (trilinear, align-corners) and the reorientation (permutation and flips) to source
 * coordinates, so no intermediate copy of the volume is made; peak memory: the source volume plus one float32
 * array of the padded model grid. Every other method goes through a float32 reoriented copy and per-axis
 * passes ({@link SeparableResampler}), then the model grid is normalised and padded.
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
        ModelGrid grid = ModelGrid.of(reoriented, spacing, manifest);
        int[] model = grid.size();

        int[] cover = new int[3], before = new int[3], margin = new int[3], data = new int[3];
        for (int a = 0; a < 3; a++) {
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
        ImageResampling resampling = manifest.resampling();
        if (resampling.image() != ImageResampling.Interpolation.LINEAR || resampling.antialias()) {
            float[] out = separable(volume, mapping, reoriented, grid, manifest, modelIndex, data, total);
            return new PreparedVolume(mapping, sourceSize, model, cover, before, margin, out, grid.pixelCentres());
        }

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
        return new PreparedVolume(mapping, sourceSize, model, cover, before, margin, out, false);
    }

    /**
     * Reoriented float32 copy, normalised first under {@code nnunet} (as nnU-Net does), resampled by
     * {@link SeparableResampler}, normalised after for the other methods, then padded into the data array.
     */
    private static float[] separable(Volume volume, AxisMapping mapping, int[] reoriented, ModelGrid grid, ModelManifest manifest,
                                     int[][] modelIndex, int[] data, long total) {
        Normalization normalization = manifest.normalization(0);
        boolean normaliseFirst = manifest.resampling().image() == ImageResampling.Interpolation.NNUNET;
        float[] image = reorientedCopy(volume, mapping, reoriented);
        float[] transform = null;
        if (normaliseFirst) {
            transform = transform(normalization, image);
            clipAffine(image, transform);
        }
        int[] size = reoriented.clone();
        image = SeparableResampler.resample(image, size, grid, manifest.resampling());
        if (!normaliseFirst) {
            transform = transform(normalization, image);
            clipAffine(image, transform);
        }
        float[] pad = {(float) manifest.padding().value()};
        clipAffine(pad, transform);
        int[] model = grid.size();
        float[] out = new float[(int) total];
        int[] mx = modelIndex[0], my = modelIndex[1], mz = modelIndex[2];
        for (int z = 0; z < data[2]; z++) {
            int iz = mz[z];
            for (int y = 0; y < data[1]; y++) {
                int iy = my[y];
                int row = (z * data[1] + y) * data[0];
                if (iz < 0 || iy < 0) {
                    java.util.Arrays.fill(out, row, row + data[0], pad[0]);
                    continue;
                }
                int source = (iz * model[1] + iy) * model[0];
                for (int x = 0; x < data[0]; x++) {
                    int ix = mx[x];
                    out[row + x] = ix < 0 ? pad[0] : image[source + ix];
                }
            }
        }
        return out;
    }

    /** The source voxels permuted and flipped into model axis order, float32, x fastest. */
    static float[] reorientedCopy(Volume volume, AxisMapping mapping, int[] size) {
        VolumeGeometry g = volume.geometry();
        int[] stride = {1, g.width(), g.width() * g.height()};
        long[][] offset = new long[3][];
        for (int a = 0; a < 3; a++) {
            int k = mapping.sourceAxis()[a];
            boolean flip = mapping.flip()[a];
            offset[a] = new long[size[a]];
            for (int i = 0; i < size[a]; i++) offset[a][i] = (long) (flip ? size[a] - 1 - i : i) * stride[k];
        }
        VoxelSampler source = VoxelSampler.of(volume);
        float[] out = new float[Math.toIntExact((long) size[0] * size[1] * size[2])];
        int i = 0;
        for (int z = 0; z < size[2]; z++)
            for (int y = 0; y < size[1]; y++) {
                long zy = offset[2][z] + offset[1][y];
                for (int x = 0; x < size[0]; x++) out[i++] = source.at((int) (zy + offset[0][x]));
            }
        return out;
    }

    /** {lo, hi, shift, divisor} of a normalisation, statistics (mr-zscore) over all of {@code v}. */
    private static float[] transform(Normalization n, float[] v) {
        return switch (n) {
            case Normalization.CtZScore c -> new float[] {(float) c.lo(), (float) c.hi(), (float) c.mean(), (float) c.std()};
            case Normalization.CtWindow w -> new float[] {(float) w.lo(), (float) w.hi(), (float) w.lo(), (float) (w.hi() - w.lo())};
            case Normalization.CtPercentileZScore c -> new float[] {(float) c.lo(), (float) c.hi(), (float) c.mean(), (float) c.divisor()};
            case Normalization.MrZScore m -> {
                double[] stats = foregroundStats(v, new int[] {v.length, 1, 1}, new int[3], new int[3], new int[] {v.length, 1, 1},
                        m.foregroundThreshold());
                yield new float[] {Float.NEGATIVE_INFINITY, Float.POSITIVE_INFINITY, (float) stats[0], (float) stats[1]};
            }
            case Normalization.None none -> new float[] {Float.NEGATIVE_INFINITY, Float.POSITIVE_INFINITY, 0, 1};
        };
    }

    private static void clipAffine(float[] v, float[] t) {
        clipAffine(v, t[0], t[1], t[2], t[3]);
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
