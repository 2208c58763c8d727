package org.seggateway.inference.torch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.seggateway.dicomio.volume.Volume;
import org.seggateway.inference.preprocess.AxisMapping;

/**
 * Runs the project's PyTorch implementation of the same contract ({@code inference/python/torch_sliding_window.py},
 * Debian's python3-torch) on a volume, for cross-checks and the benchmark. The script takes the volume
 * already in the model's orientation as float32 [Z, Y, X] and returns uint8 labels on that grid.
 */
public final class TorchSlidingWindow {

    /**
     * @param labels        model-oriented labels on the input grid, x fastest
     * @param probabilities channels x voxels on the model grid, or null when not asked for
     * @param timings       the script's own stage timings in seconds, if it wrote them
     */
    public record Result(byte[] labels, int[] shapeZyx, float[] probabilities, int[] probabilityShape,
                         Map<String, Double> timings, long wallNanos) {}

    private final Path script;
    private final String python;
    private List<String> extraArgs = List.of();

    public TorchSlidingWindow(Path script) {
        this.script = script;
        this.python = System.getProperty("seggateway.python", Files.isExecutable(Path.of("/usr/bin/python3")) ? "/usr/bin/python3" : "python3");
    }

    /** The script on a torch device ({@code cuda:0}) with this window batch and TF32 setting; CPU by default. */
    public TorchSlidingWindow on(String device, int batchSize, boolean tf32) {
        List<String> args = new ArrayList<>(List.of("--device", device, "--batch-size", Integer.toString(batchSize)));
        if (tf32) args.add("--tf32");
        this.extraArgs = List.copyOf(args);
        return this;
    }

    public Path script() {
        return script;
    }

    /** The script path in a checkout: {@code <root>/inference/python/torch_sliding_window.py}. */
    public static Path scriptIn(Path projectRoot) {
        return projectRoot.resolve("inference/python/torch_sliding_window.py");
    }

    /**
     * @param voxels     model-oriented voxels, x fastest, {@code size} x, y, z
     * @param spacing    x, y, z in mm (the model-oriented spacing)
     */
    public Result run(Path modelDir, float[] voxels, int[] size, double[] spacing, int threads, Path workDir,
                      boolean probabilities) throws IOException, InterruptedException {
        if (!Files.isRegularFile(script))
            throw new IOException("PyTorch reference script not found: " + script + " (it comes with the model branch)");
        Files.createDirectories(workDir);
        Path in = workDir.resolve("volume.npy"), out = workDir.resolve("labels.npy");
        Path probs = workDir.resolve("probabilities.npy"), timings = workDir.resolve("timings.json");
        Files.deleteIfExists(out);
        Files.deleteIfExists(timings);
        Npy.writeFloat32(in, voxels, size[2], size[1], size[0]);
        List<String> cmd = new ArrayList<>(List.of(python, script.toString(), "--model", modelDir.toString(),
                "--input", in.toString(), "--spacing", fmt(spacing[2]), fmt(spacing[1]), fmt(spacing[0]),
                "--out", out.toString(), "--timings-out", timings.toString(), "--threads", Integer.toString(threads)));
        if (probabilities) cmd.addAll(List.of("--probabilities-out", probs.toString()));
        cmd.addAll(extraArgs);
        Path log = workDir.resolve("torch.log");
        long t0 = System.nanoTime();
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (!p.waitFor(30, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new IOException("PyTorch script timed out: " + String.join(" ", cmd));
        }
        long wall = System.nanoTime() - t0;
        if (p.exitValue() != 0)
            throw new IOException("PyTorch script failed (exit " + p.exitValue() + "): " + String.join(" ", cmd) + "\n" + tail(log));
        Npy.Array labels = Npy.read(out);
        if (labels.uint8() == null) throw new IOException(out + ": expected uint8 labels");
        Npy.Array pr = probabilities ? Npy.read(probs) : null;
        Map<String, Double> t = new LinkedHashMap<>();
        if (Files.isRegularFile(timings)) {
            JsonNode node = new ObjectMapper().readTree(timings.toFile());
            node.fields().forEachRemaining(e -> { if (e.getValue().isNumber()) t.put(e.getKey(), e.getValue().asDouble()); });
        }
        return new Result(labels.uint8(), labels.shape(), pr == null ? null : pr.float32(), pr == null ? null : pr.shape(), t, wall);
    }

    /** A volume's voxels permuted and flipped into model axis order (no resampling), x fastest. */
    public static float[] modelOriented(Volume v, AxisMapping mapping, int[] sizeOut) {
        var g = v.geometry();
        int[] src = {g.width(), g.height(), g.depth()};
        int[] axis = mapping.sourceAxis();
        boolean[] flip = mapping.flip();
        int[] n = mapping.modelDimensions(src);
        System.arraycopy(n, 0, sizeOut, 0, 3);
        int[] stride = {1, src[0], src[0] * src[1]};
        float[] out = new float[Math.toIntExact((long) n[0] * n[1] * n[2])];
        int i = 0;
        for (int z = 0; z < n[2]; z++)
            for (int y = 0; y < n[1]; y++)
                for (int x = 0; x < n[0]; x++) {
                    int[] m = {x, y, z};
                    int s = 0;
                    for (int a = 0; a < 3; a++) s += (flip[a] ? n[a] - 1 - m[a] : m[a]) * stride[axis[a]];
                    out[i++] = v.value(s);
                }
        return out;
    }

    private static String fmt(double d) {
        return Double.toString(d); // shortest text that parses back to the same double
    }

    private static String tail(Path log) throws IOException {
        List<String> lines = Files.readAllLines(log);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 25), lines.size()));
    }
}
