package org.seggateway.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.seggateway.dicomio.synthetic.PhantomVolume;
import org.seggateway.dicomio.volume.Volume;
import org.seggateway.inference.MemoryEstimate;
import org.seggateway.inference.SegmentOptions;
import org.seggateway.inference.SegmentationResult;
import org.seggateway.inference.Segmenter;
import org.seggateway.inference.StageTimings;
import org.seggateway.inference.model.ModelManifest;
import org.seggateway.inference.model.ModelPackage;
import org.seggateway.inference.postprocess.LabelResampler;
import org.seggateway.inference.preprocess.AxisMapping;
import org.seggateway.inference.runtime.ExecutionProvider;
import org.seggateway.inference.runtime.MatMulRate;
import org.seggateway.inference.runtime.RuntimeOptions;
import org.seggateway.inference.torch.TorchSlidingWindow;
import org.seggateway.inference.runtime.GpuDevice;
import org.seggateway.inference.runtime.ModelSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "infer", mixinStandardHelpOptions = true,
        description = {"Benchmarks the inference engine on a synthetic CT phantom (default 512x512x300 at 0.7x0.7x1.0 mm):",
                "windows/s, voxels/s, time per stage, peak heap, the same sliding window through the PyTorch script,",
                "and the achieved fraction of the machine's float32 rate (ONNX Runtime MatMul).",
                "With --provider cuda: on CUDA device --device, beside PyTorch eager on the same GPU (same weights, windows",
                "and batch), with the GPU's memory peak and utilisation and its measured FP32 and TF32 MatMul rates."})
final class BenchInferCommand implements Callable<Integer> {

    @Option(names = "--model", required = true, description = "model package folder")
    Path model;

    @Option(names = "--size", split = "x", description = "COLUMNSxROWSxSLICES (default 512x512x300)")
    int[] size = {512, 512, 300};

    @Option(names = "--spacing", split = ",", description = "x,y,z mm (default 0.7,0.7,1.0)")
    double[] spacing = {0.7, 0.7, 1.0};

    @Option(names = "--provider", defaultValue = "cpu", description = "cpu, cuda or auto (default ${DEFAULT-VALUE})")
    String provider;

    @Option(names = "--threads", defaultValue = "0", description = "intra-op threads for ONNX Runtime and PyTorch (0 = all cores)")
    int threads;

    @Mixin
    GpuOptions gpu;

    @Option(names = "--compare-cpu", description = "also run the CT on the CPU and compare: probabilities (largest difference, "
            + "limit 1e-3) and labels (share of voxels that differ, limit 0.01%%); for --provider cuda")
    boolean compareCpu;

    @Option(names = "--no-torch", description = "skip the PyTorch run")
    boolean noTorch;

    @Option(names = "--torch-script", description = "PyTorch reference script (default: inference/python/torch_sliding_window.py of this checkout)")
    Path torchScript;

    @Override
    public Integer call() throws Exception {
        ModelPackage p = ModelPackage.load(model);
        ModelManifest m = p.manifest();
        RuntimeOptions options = gpu.runtime(provider, threads);
        int cores = Runtime.getRuntime().availableProcessors();
        System.out.printf(Locale.ROOT, "bench infer: %s, synthetic CT %dx%dx%d at %s mm, %d cores, heap max %.1f GiB%n",
                p.displayName(), size[0], size[1], size[2], fmt(spacing), cores, Runtime.getRuntime().maxMemory() / GIB);
        Volume volume = PhantomVolume.ct(size[0], size[1], size[2], spacing, 10, 42);
        long sourceVoxels = volume.geometry().voxelCount();
        System.out.println("memory estimate: " + MemoryEstimate.of(size, spacing, 2, m).summary());

        SegmentationResult r;
        long peakSampled, peakPools;
        String actualProvider;
        boolean onCuda;
        int windowBatch;
        GpuDevice device;
        long gpuPeak = -1;
        double gpuUtilisation = Double.NaN;
        try (Segmenter segmenter = Segmenter.open(p, options)) {
            ModelSession session = segmenter.session();
            onCuda = session.provider() == ExecutionProvider.CUDA;
            windowBatch = session.windowBatch();
            device = session.gpu();
            actualProvider = onCuda ? "CUDA " + session.cudaMajor() + " on " + (device == null ? "device " + gpu.device : device.summary())
                    + ", " + windowBatch + " windows per run" : session.provider() + ", " + session.threads() + " threads";
            // warm-up: a volume of at least one window in each direction; on CUDA, cuDNN's algorithm search for the window shape
            segmenter.segment(PhantomVolume.ct(48, 48, 24, new double[] {2.5, 2.5, 2.5}, 10, 1));
            WindowProgress progress = WindowProgress.onStderr();
            GpuWatch watch = onCuda ? GpuWatch.start(gpu.device) : null;
            try (HeapWatch heap = new HeapWatch()) {
                r = segmenter.segment(volume, SegmentOptions.defaults(), progress);
                peakSampled = heap.sampledPeakBytes();
                peakPools = heap.poolPeakSumBytes();
            } finally {
                if (watch != null) {
                    watch.close();
                    if (watch.samples() > 0) {
                        gpuPeak = watch.peakBytes();
                        gpuUtilisation = watch.meanUtilisation();
                    }
                }
            }
            progress.end();
            if (compareCpu) compareWithCpu(segmenter, p, volume);
        }
        StageTimings t = r.timings();
        int[] g = r.modelGridSize();
        double total = t.totalNanos() / 1e9;
        System.out.printf(Locale.ROOT, "java: provider %s, model grid %dx%dx%d, %d windows%n", actualProvider, g[0], g[1], g[2], r.windows());

        TorchSlidingWindow.Result torch = null;
        String torchNote = "";
        if (!noTorch) {
            Path script = torchScript != null ? torchScript : TorchSlidingWindow.scriptIn(projectRoot());
            int[] oriented = new int[3];
            AxisMapping mapping = m.orientation() == null ? AxisMapping.identity()
                    : AxisMapping.toOrientation(volume.geometry().direction(), m.orientation());
            float[] voxels = TorchSlidingWindow.modelOriented(volume, mapping, oriented);
            double[] orientedSpacing = mapping.modelSpacing(volume.geometry().spacing());
            Path work = Files.createTempDirectory("bench-torch");
            try {
                TorchSlidingWindow reference = new TorchSlidingWindow(script);
                if (onCuda) reference.on("cuda:" + gpu.device, windowBatch, gpu.tf32);
                torch = reference.run(model, voxels, oriented, orientedSpacing,
                        threads > 0 ? threads : cores, work, false);
                int same = 0;
                var g0 = volume.geometry();
                byte[] a = r.labels().labels(),
                        b = LabelResampler.toSource(torch.labels(), oriented, new int[] {g0.width(), g0.height(), g0.depth()}, mapping);
                for (int i = 0; i < a.length; i++) if (a[i] == b[i]) same++;
                torchNote = String.format(Locale.ROOT, "labels identical to Java's on %.5f%% of voxels", 100.0 * same / a.length);
            } catch (Exception e) {
                torchNote = "PyTorch run failed: " + SegGateway.oneLine(e);
            } finally {
                try (var files = Files.walk(work)) {
                    files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
                }
            }
        }

        double flops = m.flopsPerWindow();
        double matmul = onCuda ? MatMulRate.measureCuda(8192, 16, gpu.device, gpu.tf32, 4)
                : MatMulRate.measure(1024, threads > 0 ? threads : cores, 3);
        Map<String, Double> pt = torch == null ? Map.of() : torch.timings();
        System.out.println();
        System.out.println("| stage | Java + ONNX Runtime (s) | share of total | PyTorch script (s) |");
        System.out.println("| --- | ---: | ---: | ---: |");
        row("preprocess (reorient, resample, normalise, pad)", t.preprocessNanos(), total, pt.get("preprocess"));
        row("inference (network)", t.inferenceNanos(), total, pt.get("inference"));
        row("gather windows (overlaps inference)", t.gatherNanos(), total, null);
        row("blending (softmax, weights, accumulate, argmax)", t.blendNanos(), total, pt.get("blending"));
        row("sliding window wall (gather + inference + blending)", t.slidingWindowNanos(), total, null);
        row("postprocess (labels back to source grid)", t.postprocessNanos(), total, pt.get("postprocess"));
        System.out.printf(Locale.ROOT, "| **total** | **%.2f** | 100%% | **%s** |%n", total,
                torch == null ? "-" : String.format(Locale.ROOT, "%.2f (process wall %.2f)", pt.getOrDefault("total", Double.NaN), torch.wallNanos() / 1e9));
        double nonInference = (t.preprocessNanos() + t.postprocessNanos() + (t.slidingWindowNanos() - t.inferenceNanos())) / 1e9;
        System.out.println();
        System.out.printf(Locale.ROOT, "windows/s %.2f, source voxels/s %.3g (Java)%s%n", r.windows() / total, sourceVoxels / total,
                torch == null ? "" : String.format(Locale.ROOT, "; PyTorch windows/s %.2f, voxels/s %.3g",
                        r.windows() / pt.getOrDefault("total", Double.NaN), sourceVoxels / pt.getOrDefault("total", Double.NaN)));
        System.out.printf(Locale.ROOT, "time outside the network (pre + post + sliding-window wall not spent in it): %.2f s = %.1f%% of total%n",
                nonInference, 100 * nonInference / total);
        System.out.printf(Locale.ROOT, "peak heap during the run: %.2f GiB sampled (pool peaks summed, an upper bound: %.2f GiB)%n",
                peakSampled / GIB, peakPools / GIB);
        if (onCuda) {
            System.out.printf(Locale.ROOT, "GPU: memory peak %.2f GiB in use on the device (nvidia-smi, every 100 ms; the CUDA context and "
                            + "arena included), mean utilisation %.0f%% during the Java run%s%n", gpuPeak / GIB, gpuUtilisation,
                    pt.containsKey("gpuPeakBytes") ? String.format(Locale.ROOT, "; PyTorch's own allocations peaked at %.2f GiB",
                            pt.get("gpuPeakBytes") / GIB) : "");
            double inferenceS = t.inferenceNanos() / 1e9, loop = (t.slidingWindowNanos() - t.inferenceNanos()) / 1e9;
            System.out.printf(Locale.ROOT, "window loop outside the network (gather, transfer, blend not hidden behind it): %.2f s = %.1f%% "
                    + "of the network time; network %.2f s, %.2f windows/s inside it%s%n", loop, 100 * loop / inferenceS, inferenceS,
                    r.windows() / inferenceS, pt.containsKey("inference") ? String.format(Locale.ROOT, " (PyTorch: network %.2f s, %.2f windows/s)",
                            pt.get("inference"), r.windows() / pt.get("inference")) : "");
        }
        if (torch != null) System.out.printf(Locale.ROOT, "speed-up over PyTorch: %.2fx; %s%n", pt.getOrDefault("total", Double.NaN) / total, torchNote);
        else if (!torchNote.isEmpty()) System.out.println(torchNote);
        if (flops > 0) {
            int flips = 1;
            for (boolean axis : m.mirrorAxes()) if (axis) flips *= 2;
            long runs = (long) r.windows() * m.ensembleSize() * flips; // forward passes of one window
            double achieved = runs * flops / (t.inferenceNanos() / 1e9) / 1e9;
            double overall = runs * flops / total / 1e9;
            System.out.printf(Locale.ROOT, "forward passes: %d windows x %d ensemble members x %d mirrorings = %d%n",
                    r.windows(), m.ensembleSize(), flips, runs);
            System.out.printf(Locale.ROOT, "FLOPs: %.2f GFLOP per forward pass (manifest flopsPerWindow); inside the network %.1f GFLOP/s, "
                            + "end to end %.1f GFLOP/s; machine rate %.1f GFLOP/s (%s) -> "
                            + "%.0f%% inside the network, %.0f%% end to end%n",
                    flops / 1e9, achieved, overall, matmul, onCuda ? "ONNX Runtime CUDA, 8192^3 MatMuls (a chain of 17 less a chain of 1), "
                            + (gpu.tf32 ? "TF32" : "FP32") + ", best of 4 s" : "ONNX Runtime 1024^3 MatMul, same threads, best of 3 s",
                    100 * achieved / matmul, 100 * overall / matmul);
            if (onCuda) {
                double other = MatMulRate.measureCuda(8192, 16, gpu.device, !gpu.tf32, 4);
                System.out.printf(Locale.ROOT, "GPU MatMul rate with %s: %.1f GFLOP/s -> %.0f%% inside the network%n",
                        gpu.tf32 ? "FP32" : "TF32", other, 100 * achieved / other);
            }
        } else {
            System.out.printf(Locale.ROOT, "FLOPs: the manifest states no flopsPerWindow; machine rate %.1f GFLOP/s (ONNX Runtime MatMul)%n", matmul);
        }
        return 0;
    }

    /** The same volume with probabilities on this segmenter and on a CPU session; prints the differences and PASS or FAIL. */
    private void compareWithCpu(Segmenter segmenter, ModelPackage p, Volume volume) throws Exception {
        SegmentOptions keep = new SegmentOptions(false, true);
        SegmentationResult a = segmenter.segment(volume, keep, org.seggateway.inference.window.ProgressListener.NONE);
        long t0 = System.nanoTime();
        SegmentationResult b;
        try (Segmenter cpu = Segmenter.open(p, RuntimeOptions.cpu(threads))) {
            b = cpu.segment(volume, keep, org.seggateway.inference.window.ProgressListener.NONE);
        }
        double cpuSeconds = (System.nanoTime() - t0) / 1e9;
        double worst = 0;
        for (int c = 0; c < a.probabilities().length; c++)
            for (int i = 0; i < a.probabilities()[c].length; i++)
                worst = Math.max(worst, Math.abs(a.probabilities()[c][i] - b.probabilities()[c][i]));
        byte[] la = a.labels().labels(), lb = b.labels().labels();
        long differ = 0;
        for (int i = 0; i < la.length; i++) if (la[i] != lb[i]) differ++;
        double share = 100.0 * differ / la.length;
        boolean pass = worst <= 1e-3 && share < 0.01;
        System.out.printf(Locale.ROOT, "equivalence %s vs CPU (%s): largest probability difference %.3g (limit 1e-3), labels differ on "
                        + "%d of %d voxels = %.5f%% (limit 0.01%%) -> %s; CPU run %.1f s%n", segmenter.session().provider(), p.displayName(),
                worst, differ, la.length, share, pass ? "PASS" : "FAIL", cpuSeconds);
    }

    private static void row(String name, long nanos, double total, Double torch) {
        System.out.printf(Locale.ROOT, "| %s | %.2f | %.1f%% | %s |%n", name, nanos / 1e9, 100 * nanos / 1e9 / total,
                torch == null ? "-" : String.format(Locale.ROOT, "%.2f", torch));
    }

    static Path projectRoot() {
        try {
            Path jar = Path.of(SegGateway.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            Path root = jar.getParent().getParent().getParent(); // cli/target/seg-gateway.jar
            if (Files.isDirectory(root.resolve("inference"))) return root;
        } catch (Exception ignored) {
            // fall through to the working directory
        }
        return Path.of("").toAbsolutePath();
    }

    private static String fmt(double[] v) {
        return String.format(Locale.ROOT, "%gx%gx%g", v[0], v[1], v[2]);
    }

    private static final double GIB = 1L << 30;
}
