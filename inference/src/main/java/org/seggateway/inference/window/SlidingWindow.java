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
import org.seggateway.inference.preprocess.PreparedVolume;

/**
 * Runs the network over a prepared volume (contract steps 5 to 8) as a three-stage pipeline: one thread
 * gathers batch k+1 into the spare of two input buffers while the caller's thread runs batch k through
 * the network and a third blends batch k-1 into the {@link SlabAccumulator}. Items are windows x mirror
 * flip combinations, in window order (z outermost), flips innermost, batched by the manifest's batch size.
 */
public final class SlidingWindow {

    private SlidingWindow() {}

    public static WindowResult run(PreparedVolume volume, ModelManifest manifest, BatchPredictor network,
                                   boolean keepProbabilities, ProgressListener progress) throws Exception {
        int[] in = {manifest.patchSize().x(), manifest.patchSize().y(), manifest.patchSize().z()};
        int[] out = {manifest.outputPatchSize().x(), manifest.outputPatchSize().y(), manifest.outputPatchSize().z()};
        int[] cover = volume.coverSize();
        TileGrid grid = TileGrid.of(cover, out, manifest.overlap());
        List<boolean[]> flips = flipCombinations(manifest.mirrorAxes());
        int windows = grid.count(), items = windows * flips.size(), batch = network.batchSize(manifest.batchSize());
        int inVoxels = in[0] * in[1] * in[2], outVoxels = out[0] * out[1] * out[2];
        float[] importance = ImportanceMap.of(manifest.blending(), out[0], out[1], out[2]);
        float flipScale = 1f / flips.size();
        SlabAccumulator accumulator = new SlabAccumulator(manifest.outputKind(), manifest.channels(), cover, out[2],
                volume.padBefore(), volume.modelSize(), keepProbabilities);
        FloatBuffer[] buffers = {directFloats(batch * inVoxels), directFloats(batch * inVoxels)};
        long[] gatherNanos = {0}, blendNanos = {0};
        long inferenceNanos = 0, wallStart = System.nanoTime();

        ExecutorService gatherer = Executors.newSingleThreadExecutor(daemon("window-gather"));
        ExecutorService blender = Executors.newSingleThreadExecutor(daemon("window-blend"));
        try {
            int batches = (items + batch - 1) / batch;
            Future<?> gathered = gatherer.submit(() -> gather(volume, grid, flips, in, 0, Math.min(batch, items), buffers[0], gatherNanos));
            Future<?> blended = null;
            for (int b = 0; b < batches; b++) {
                int first = b * batch, count = Math.min(batch, items - first);
                FloatBuffer current = buffers[b % 2];
                gathered.get();
                if (b + 1 < batches) {
                    int next = first + batch, nextCount = Math.min(batch, items - next);
                    FloatBuffer spare = buffers[(b + 1) % 2];
                    gathered = gatherer.submit(() -> gather(volume, grid, flips, in, next, nextCount, spare, gatherNanos));
                }
                long t0 = System.nanoTime();
                float[] logits = network.predict(current, count);
                inferenceNanos += System.nanoTime() - t0;
                long expected = (long) count * manifest.channels() * outVoxels;
                if (logits.length < expected)
                    throw new IllegalStateException("network returned " + logits.length + " values for " + count + " windows, expected " + expected);
                if (blended != null) blended.get(); // at most one batch waits for blending
                blended = blender.submit(() -> {
                    long t = System.nanoTime();
                    for (int i = 0; i < count; i++) {
                        int item = first + i, w = item / flips.size();
                        accumulator.add(logits, i * manifest.channels() * outVoxels, grid.start(w), out[0], out[1], out[2],
                                importance, flipScale, flips.get(item % flips.size()));
                        if ((item + 1) % flips.size() == 0) progress.windowsDone(w + 1, windows);
                    }
                    blendNanos[0] += System.nanoTime() - t;
                    return null;
                });
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
        return new WindowResult(accumulator.labels(), accumulator.probabilities(), windows, items, timings);
    }

    /** Copies the input patches of items [first, first + count) into the buffer, flipped as each item says. */
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
            for (int z = 0; z < in[2]; z++) {
                int sz = s[2] + (f[2] ? in[2] - 1 - z : z);
                for (int y = 0; y < in[1]; y++) {
                    int sy = s[1] + (f[1] ? in[1] - 1 - y : y);
                    int src = (sz * dy + sy) * dx + s[0];
                    if (!f[0]) {
                        buffer.put(data, src, in[0]);
                    } else {
                        for (int x = 0; x < in[0]; x++) row[x] = data[src + in[0] - 1 - x];
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
