package org.seggateway.inference;

import java.util.Locale;
import org.seggateway.inference.model.ImageResampling;
import org.seggateway.inference.model.ModelManifest;
import org.seggateway.inference.preprocess.ModelGrid;

/**
 * The heap a segmentation needs, from the sizes alone (no allocation), for capacity planning and the
 * memory bound of the issue. Peak = source volume + the larger of the sliding-window phase (prepared
 * float32 model grid + accumulator ring + model-grid labels + two input batches + up to three batches of
 * network output in flight) and the postprocessing phase (model-grid labels + source-grid labels).
 * Reorientation only permutes sizes, so it is left out; {@code keepProbabilities} is assumed off.
 * Input channels: the grid is stored once (each channel is normalised as windows are gathered), the input
 * batches hold every channel. Ensembles: members run one after another and each output is blended before
 * the next is kept, so the heap does not grow with the members (their weights live in ONNX Runtime's
 * native memory, outside the heap). Every resampling but plain linear adds a preprocessing phase before the
 * sliding window: a float32 copy of the source, then per-axis passes each holding its input and its output,
 * then the model grid beside the padded data array ({@code preprocessBytes}: the largest of these pairs).
 */
public record MemoryEstimate(long sourceBytes, long preparedBytes, long ringBytes, long modelLabelBytes,
                             long batchBytes, long outputBytes, long sourceLabelBytes, long preprocessBytes) {

    /** @param sourceSize x, y, z voxels; spacing x, y, z mm; bytesPerSourceVoxel 2 (int16) or 4 (float32) */
    public static MemoryEstimate of(int[] sourceSize, double[] spacing, int bytesPerSourceVoxel, ModelManifest m) {
        ModelGrid grid = ModelGrid.of(sourceSize, spacing, m);
        long model = 1, data = 1;
        long[] cover = new long[3];
        for (int a = 0; a < 3; a++) {
            int n = grid.size()[a];
            cover[a] = Math.max(n, m.patchSize().get(a));
            model *= n;
            data *= cover[a] + 2L * m.margin(a);
        }
        long source = (long) sourceSize[0] * sourceSize[1] * sourceSize[2];
        long ring = cover[0] * cover[1] * Math.min(m.outputPatchSize().z(), cover[2]) * (m.channels() + 1) * 4;
        long batch = 2L * m.batchSize() * m.inputChannels() * m.patchSize().voxels() * 4;
        long output = 3L * m.batchSize() * m.channels() * m.outputPatchSize().voxels() * 4;
        ImageResampling r = m.resampling();
        long preprocess = r.image() == ImageResampling.Interpolation.LINEAR && !r.antialias() ? data * 4
                : separablePeak(sourceSize, grid, data);
        return new MemoryEstimate(source * bytesPerSourceVoxel, data * 4, ring, model, batch, output, source, preprocess);
    }

    /** The passes of SeparableResampler: interpolation x, y, z (not the separate axis), then the separate axis. */
    private static long separablePeak(int[] sourceSize, ModelGrid grid, long data) {
        long[] size = {sourceSize[0], sourceSize[1], sourceSize[2]};
        int[] target = grid.size();
        long current = size[0] * size[1] * size[2], peak = current;
        int separate = grid.separateAxis();
        for (int step = 0; step < 4; step++) {
            int a = step < 3 ? step : separate;
            if (a < 0 || (step < 3 && a == separate) || size[a] == target[a]) continue;
            size[a] = target[a];
            long next = size[0] * size[1] * size[2];
            peak = Math.max(peak, current + next);
            current = next;
        }
        return 4 * Math.max(peak, current + data);
    }

    public long slidingWindowBytes() {
        return preparedBytes + ringBytes + modelLabelBytes + batchBytes + outputBytes;
    }

    public long postprocessBytes() {
        return modelLabelBytes + sourceLabelBytes;
    }

    public long peakBytes() {
        return sourceBytes + Math.max(preprocessBytes, Math.max(slidingWindowBytes(), postprocessBytes()));
    }

    public String summary() {
        return String.format(Locale.ROOT, "peak %.2f GiB = source %.2f + max(preprocessing %.2f, sliding window %.2f [prepared %.2f, ring %.2f, "
                        + "labels %.2f, input batches %.2f, outputs %.2f], postprocess %.2f) GiB",
                g(peakBytes()), g(sourceBytes), g(preprocessBytes), g(slidingWindowBytes()), g(preparedBytes), g(ringBytes), g(modelLabelBytes),
                g(batchBytes), g(outputBytes), g(postprocessBytes()));
    }

    private static double g(long bytes) {
        return bytes / (double) (1L << 30);
    }
}
