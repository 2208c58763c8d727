package org.seggateway.inference.window;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.seggateway.inference.model.ModelManifest;
import org.seggateway.inference.preprocess.IntensityTransform;
import org.seggateway.inference.preprocess.PreparedVolume;

/**
 * Runs the network over a prepared volume (contract steps 5 to 8) as a three-stage pipeline: one thread
 * gathers batch k+1 into the spare of two input buffers while the caller's thread runs batch k through
 * the network and a third blends batch k-1 into the {@link SlabAccumulator}. Items are windows x mirror
 * flip combinations, in window order (z outermost), flips innermost, batched by the manifest's batch size.
 *
 * <p>Gathering normalises each input channel of a window from the one prepared grid. An ensemble runs every
 * member on the same batch and blends each member's probabilities as they come, weighted 1 / (members x
 * flips): the accumulator then holds {@code w x mean over members of mean over flips}. Because a member's
 * output is blended before the next member's, a batch may then hold windows of one z-row only (the
 * accumulator's ring holds one row's depth); single networks batch across rows.
 */
public final class SlidingWindow {

    private SlidingWindow() {}

    public static WindowResult run(PreparedVolume volume, ModelManifest manifest, BatchPredictor network,
                                   boolean keepProbabilities, ProgressListener progress) throws Exception {
        return run(volume, manifest, List.of(network), keepProbabilities, progress);
    }

    /** @param members the networks of the ensemble, in the manifest's order (one for a single ONNX file) */
    public static WindowResult run(PreparedVolume volume, ModelManifest manifest, List<? extends BatchPredictor> members,
                                   boolean keepProbabilities, ProgressListener progress) throws Exception {
        if (members.isEmpty()) throw new IllegalArgumentException("no network");
        if (volume.channels().size() != manifest.inputChannels())
            throw new IllegalArgumentException("prepared volume has " + volume.channels().size() + " input channels, the model takes "
                    + manifest.inputChannels());
        int[] in = {manifest.patchSize().x(), manifest.patchSize().y(), manifest.patchSize().z()};
        int[] out = {manifest.outputPatchSize().x(), manifest.outputPatchSize().y(), manifest.outputPatchSize().z()};
        int[] cover = volume.coverSize();
        TileGrid grid = TileGrid.of(cover, out, manifest.overlap());
        List<boolean[]> flips = flipCombinations(manifest.mirrorAxes());
        int windows = grid.count(), items = windows * flips.size(), batch = members.getFirst().batchSize(manifest.batchSize());
        int inVoxels = in[0] * in[1] * in[2], outVoxels = out[0] * out[1] * out[2];
        int channels = manifest.channels(), inputChannels = manifest.inputChannels();
        float[] importance = ImportanceMap.of(manifest.blending(), out[0], out[1], out[2]);
        float itemScale = 1f / (flips.size() * members.size());
        SlabAccumulator accumulator = new SlabAccumulator(manifest.outputKind(), manifest.labelValueOfChannel(), cover, out[2],
                volume.padBefore(), volume.modelSize(), keepProbabilities);
        FloatBuffer[] buffers = {directFloats(batch * inputChannels * inVoxels), directFloats(batch * inputChannels * inVoxels)};
        List<int[]> batches = batches(items, batch, members.size() > 1 ? grid.count() / grid.startsZ().length * flips.size() : items);
        long[] gatherNanos = {0}, blendNanos = {0};
        long inferenceNanos = 0, wallStart = System.nanoTime();

        ExecutorService gatherer = Executors.newSingleThreadExecutor(daemon("window-gather"));
        ExecutorService blender = Executors.newSingleThreadExecutor(daemon("window-blend"));
        try {
            int[] b0 = batches.getFirst();
            Future<?> gathered = gatherer.submit(() -> gather(volume, grid, flips, in, b0[0], b0[1], buffers[0], gatherNanos));
            Future<?> blended = null;
            for (int b = 0; b < batches.size(); b++) {
                int first = batches.get(b)[0], count = batches.get(b)[1];
                FloatBuffer current = buffers[b % 2];
                gathered.get();
                if (b + 1 < batches.size()) {
                    int[] next = batches.get(b + 1);
                    FloatBuffer spare = buffers[(b + 1) % 2];
                    gathered = gatherer.submit(() -> gather(volume, grid, flips, in, next[0], next[1], spare, gatherNanos));
                }
                for (int member = 0; member < members.size(); member++) {
                    long t0 = System.nanoTime();
                    float[] logits = members.get(member).predict(current, count);
                    inferenceNanos += System.nanoTime() - t0;
                    long expected = (long) count * channels * outVoxels;
                    if (logits.length < expected)
                        throw new IllegalStateException("network " + (member + 1) + " of " + members.size() + " returned "
                                + logits.length + " values for " + count + " windows, expected " + expected);
                    if (blended != null) blended.get(); // at most one network output waits for blending
                    boolean last = member == members.size() - 1;
                    blended = blender.submit(() -> {
                        long t = System.nanoTime();
                        for (int i = 0; i < count; i++) {
                            int item = first + i, w = item / flips.size();
                            accumulator.add(logits, i * channels * outVoxels, grid.start(w), out[0], out[1], out[2],
                                    importance, itemScale, flips.get(item % flips.size()));
                            if (last && (item + 1) % flips.size() == 0) progress.windowsDone(w + 1, windows);
                        }
                        blendNanos[0] += System.nanoTime() - t;
                        return null;
                    });
                }
            }
            if (blended != null) blended.get();
            long t = System.nanoTime();
            accumulator.finish(cover[2]);
            blendNanos[0] += System.nanoTime() - t;
        } catch (ExecutionException e) {
            throw e.getCause() instanceof Exception cause ? cause : e;
        } finally {
            gatherer.shutdownNow();
            blender.shutdownNow();
        }
        WindowTimings timings = new WindowTimings(gatherNanos[0], inferenceNanos, blendNanos[0], System.nanoTime() - wallStart);
        return new WindowResult(accumulator.labels(), accumulator.probabilities(), windows, items * members.size(), timings);
    }

    /** {first item, count} of each batch: {@code batch} items at most, none crossing a multiple of {@code group}. */
    static List<int[]> batches(int items, int batch, int group) {
        List<int[]> list = new ArrayList<>();
        for (int start = 0; start < items; start += group) {
            int end = Math.min(items, start + group);
            for (int first = start; first < end; first += batch) list.add(new int[] {first, Math.min(batch, end - first)});
        }
        return list;
    }

    /**
     * Copies the input patches of items [first, first + count) into the buffer, flipped as each item says,
     * channel after channel ({@code [item][channel][z][y][x]}), each channel through its normalisation.
     */
    private static Void gather(PreparedVolume v, TileGrid grid, List<boolean[]> flips, int[] in, int first, int count,
                               FloatBuffer buffer, long[] nanos) {
        long t0 = System.nanoTime();
        float[] data = v.data();
        int dx = v.dataSize(0), dy = v.dataSize(1);
        float[] row = new float[in[0]];
        buffer.clear();
        for (int i = 0; i < count; i++) {
            int item = first + i;
            int[] s = grid.start(item / flips.size());
            boolean[] f = flips.get(item % flips.size());
            for (IntensityTransform t : v.channels()) {
                float lo = t.lo(), hi = t.hi(), shift = t.shift(), divisor = t.divisor();
                for (int z = 0; z < in[2]; z++) {
                    int sz = s[2] + (f[2] ? in[2] - 1 - z : z);
                    for (int y = 0; y < in[1]; y++) {
                        int sy = s[1] + (f[1] ? in[1] - 1 - y : y);
                        int src = (sz * dy + sy) * dx + s[0];
                        if (!f[0]) for (int x = 0; x < in[0]; x++) row[x] = (Math.min(Math.max(data[src + x], lo), hi) - shift) / divisor;
                        else for (int x = 0; x < in[0]; x++) row[x] = (Math.min(Math.max(data[src + in[0] - 1 - x], lo), hi) - shift) / divisor;
                        buffer.put(row);
                    }
                }
            }
        }
        buffer.flip();
        synchronized (nanos) {
            nanos[0] += System.nanoTime() - t0;
        }
        return null;
    }

    /** Every subset of the mirrored axes, starting with no flip. */
    static List<boolean[]> flipCombinations(boolean[] axes) {
        List<boolean[]> combos = new ArrayList<>();
        for (int mask = 0; mask < 8; mask++) {
            boolean ok = true;
            boolean[] f = new boolean[3];
            for (int a = 0; a < 3; a++) {
                f[a] = (mask & (1 << a)) != 0;
                if (f[a] && !axes[a]) ok = false;
            }
            if (ok) combos.add(f);
        }
        return combos;
    }

    private static FloatBuffer directFloats(int n) {
        return ByteBuffer.allocateDirect(n * Float.BYTES).order(ByteOrder.nativeOrder()).asFloatBuffer();
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }
}
