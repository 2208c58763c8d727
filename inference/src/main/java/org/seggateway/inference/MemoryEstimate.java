package org.seggateway.inference;

import java.util.Locale;
import org.seggateway.inference.model.ModelManifest;
import org.seggateway.inference.preprocess.Resampling;

/**
 * The heap a segmentation needs, from the sizes alone (no allocation), for capacity planning and the
 * memory bound of the issue. Peak = source volume + the larger of the sliding-window phase (prepared
 * float32 model grid + accumulator ring + model-grid labels + two input batches + up to three batches of
 * network output in flight) and the postprocessing phase (model-grid labels + source-grid labels).
 * Reorientation only permutes sizes, so it is left out; {@code keepProbabilities} is assumed off.
 * Input channels: the grid is stored once (each channel is normalised as windows are gathered), the input
 * batches hold every channel. Ensembles: members run one after another and each output is blended before
 * the next is kept, so the heap does not grow with the members (their weights live in ONNX Runtime's
 * native memory, outside the heap).
 */
public record MemoryEstimate(long sourceBytes, long preparedBytes, long ringBytes, long modelLabelBytes,
                             long batchBytes, long outputBytes, long sourceLabelBytes) {

    /** @param sourceSize x, y, z voxels; spacing x, y, z mm; bytesPerSourceVoxel 2 (int16) or 4 (float32) */
    public static MemoryEstimate of(int[] sourceSize, double[] spacing, int bytesPerSourceVoxel, ModelManifest m) {
        double[] target = m.targetSpacing();
        long model = 1, data = 1;
        long[] cover = new long[3];
        for (int a = 0; a < 3; a++) {
            int n = m.targetShape() != null ? m.targetShape().get(a)
                    : target == null ? sourceSize[a] : Resampling.resampledLength(sourceSize[a], spacing[a], target[a]);
            cover[a] = Math.max(n, m.patchSize().get(a));
            model *= n;
            data *= cover[a] + 2L * m.margin(a);
        }
        long source = (long) sourceSize[0] * sourceSize[1] * sourceSize[2];
        long ring = cover[0] * cover[1] * Math.min(m.outputPatchSize().z(), cover[2]) * (m.channels() + 1) * 4;
        long batch = 2L * m.batchSize() * m.inputChannels() * m.patchSize().voxels() * 4;
        long output = 3L * m.batchSize() * m.channels() * m.outputPatchSize().voxels() * 4;
        return new MemoryEstimate(source * bytesPerSourceVoxel, data * 4, ring, model, batch, output, source);
    }

    public long slidingWindowBytes() {
        return preparedBytes + ringBytes + modelLabelBytes + batchBytes + outputBytes;
    }

    public long postprocessBytes() {
        return modelLabelBytes + sourceLabelBytes;
    }

    public long peakBytes() {
        return sourceBytes + Math.max(slidingWindowBytes(), postprocessBytes());
    }

    public String summary() {
        return String.format(Locale.ROOT, "peak %.2f GiB = source %.2f + max(sliding window %.2f [prepared %.2f, ring %.2f, "
                        + "labels %.2f, input batches %.2f, outputs %.2f], postprocess %.2f) GiB",
                g(peakBytes()), g(sourceBytes), g(slidingWindowBytes()), g(preparedBytes), g(ringBytes), g(modelLabelBytes),
                g(batchBytes), g(outputBytes), g(postprocessBytes()));
    }

    private static double g(long bytes) {
        return bytes / (double) (1L << 30);
    }
}
