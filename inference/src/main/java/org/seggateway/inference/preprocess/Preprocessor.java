package org.seggateway.inference.preprocess;

import java.util.List;
import org.seggateway.dicomio.volume.Volume;
import org.seggateway.dicomio.volume.VolumeGeometry;
import org.seggateway.inference.model.ImageResampling;
import org.seggateway.inference.model.ModelManifest;
import org.seggateway.inference.model.Padding;

/**
 * Steps 1 to 4 of the contract. With {@code linear} resampling and no anti-aliasing in one pass over the
 * output: each voxel of the padded data array is traced back through the padding (reflection or constant),
 * the resampling (trilinear, align-corners) and the reorientation (permutation and flips) to source
 * coordinates, so no intermediate copy of the volume is made; peak memory: the source volume plus one float32
 * array of the padded model grid. Every other method goes through a float32 reoriented copy and per-axis
 * passes ({@link SeparableResampler}) before the grid is padded. Step 3 (normalisation) is only resolved here
 * ({@link IntensityTransform}, per input channel, with mr-zscore's statistics of this grid); the sliding
 * window applies it as it gathers windows, so N input channels share one grid. Except under {@code nnunet},
 * which normalises the source before resampling as nnU-Net does (one input channel; the grid then holds
 * normalised values and the channel's transform is the identity).
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
        if (resampling.image() != ImageResampling.Interpolation.LINEAR || resampling.antialias())
            return separable(volume, mapping, sourceSize, reoriented, grid, manifest, modelIndex, cover, before, margin, data, total);

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
        PreparedVolume prepared = new PreparedVolume(mapping, sourceSize, model, cover, before, margin, out, List.of(), false);
        return prepared.withChannels(IntensityTransform.perChannel(manifest.normalizations(), prepared));
    }

    /**
     * Reoriented float32 copy, normalised first under {@code nnunet} (as nnU-Net does; mr-zscore's statistics
     * from the source grid), resampled by {@link SeparableResampler}, then padded into the data array.
     */
    private static PreparedVolume separable(Volume volume, AxisMapping mapping, int[] sourceSize, int[] reoriented,
                                            ModelGrid grid, ModelManifest manifest, int[][] modelIndex, int[] cover,
                                            int[] before, int[] margin, int[] data, long total) {
        boolean normaliseFirst = manifest.resampling().image() == ImageResampling.Interpolation.NNUNET;
        if (normaliseFirst && manifest.inputChannels() != 1)
            throw new IllegalArgumentException("model " + manifest.name() + ": resampling.image \"nnunet\" normalises before "
                    + "resampling, which takes one grid per input channel; input.channels must be 1, got " + manifest.inputChannels());
        float[] image = reorientedCopy(volume, mapping, reoriented);
        IntensityTransform first = null;
        if (normaliseFirst) {
            PreparedVolume source = new PreparedVolume(mapping, sourceSize, reoriented, reoriented, new int[3], new int[3],
                    image, List.of(), true);
            first = IntensityTransform.of(manifest.normalization(0), source);
            for (int i = 0; i < image.length; i++) image[i] = first.apply(image[i]);
        }
        int[] size = reoriented.clone();
        image = SeparableResampler.resample(image, size, grid, manifest.resampling());
        float pad = (float) manifest.padding().value();
        if (first != null) pad = first.apply(pad);
        int[] model = grid.size();
        float[] out = new float[(int) total];
        int[] mx = modelIndex[0], my = modelIndex[1], mz = modelIndex[2];
        for (int z = 0; z < data[2]; z++) {
            int iz = mz[z];
            for (int y = 0; y < data[1]; y++) {
                int iy = my[y];
                int row = (z * data[1] + y) * data[0];
                if (iz < 0 || iy < 0) {
                    java.util.Arrays.fill(out, row, row + data[0], pad);
                    continue;
                }
                int from = (iz * model[1] + iy) * model[0];
                for (int x = 0; x < data[0]; x++) {
                    int ix = mx[x];
                    out[row + x] = ix < 0 ? pad : image[from + ix];
                }
            }
        }
        PreparedVolume prepared = new PreparedVolume(mapping, sourceSize, model, cover, before, margin, out, List.of(),
                grid.pixelCentres());
        return prepared.withChannels(normaliseFirst ? List.of(IntensityTransform.IDENTITY)
                : IntensityTransform.perChannel(manifest.normalizations(), prepared));
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
}
