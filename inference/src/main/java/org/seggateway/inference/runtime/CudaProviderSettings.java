package org.seggateway.inference.runtime;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The CUDA execution provider's options, set deliberately for 3D U-Nets (docs/operator-guide.md, "GPU workers"):
 * <ul>
 * <li>{@code cudnn_conv_algo_search}: {@link ConvAlgoSearch#EXHAUSTIVE} by default. A worker runs one window shape
 *     for its whole life, so benchmarking every cuDNN algorithm once per shape (seconds, on the first batch) pays back
 *     on every later window; {@code HEURISTIC} starts faster and is often slower for 3x3x3 convolutions.
 * <li>{@code cudnn_conv_use_max_workspace}: on, so cuDNN may choose the fast algorithms that need a large scratch
 *     buffer (the 3D ones do); the workspace is freed after each convolution.
 * <li>{@code use_tf32}: off by default, so that labels match the CPU's float32 run (TF32 keeps 10 mantissa bits in
 *     matrix products: faster on Ampere and later, probabilities off by about 1e-3). PyTorch's convolutions use TF32
 *     by default; set it on to compare like with like.
 * <li>{@code arena_extend_strategy}: {@code kSameAsRequested}: the arena grows by what a run asks for, instead of to the
 *     next power of two, which can double the memory of the large 3D activation tensors.
 * <li>{@code gpu_mem_limit}: bytes the arena may hold, 0 = no limit of its own (several workers sharing a GPU each
 *     get a share).
 * </ul>
 */
public record CudaProviderSettings(ConvAlgoSearch convAlgoSearch, boolean maxWorkspace, boolean tf32,
                                   ArenaExtension arenaExtension, long gpuMemLimit) {

    public enum ConvAlgoSearch { EXHAUSTIVE, HEURISTIC, DEFAULT }

    public enum ArenaExtension {
        SAME_AS_REQUESTED("kSameAsRequested"), NEXT_POWER_OF_TWO("kNextPowerOfTwo");

        final String ortName;

        ArenaExtension(String ortName) {
            this.ortName = ortName;
        }
    }

    public CudaProviderSettings {
        if (convAlgoSearch == null) throw new IllegalArgumentException("convAlgoSearch must be given");
        if (arenaExtension == null) throw new IllegalArgumentException("arenaExtension must be given");
        if (gpuMemLimit < 0) throw new IllegalArgumentException("gpu memory limit must be >= 0 bytes, got " + gpuMemLimit);
    }

    public static CudaProviderSettings defaults() {
        return new CudaProviderSettings(ConvAlgoSearch.EXHAUSTIVE, true, false, ArenaExtension.SAME_AS_REQUESTED, 0);
    }

    public CudaProviderSettings withTf32(boolean on) {
        return new CudaProviderSettings(convAlgoSearch, maxWorkspace, on, arenaExtension, gpuMemLimit);
    }

    public CudaProviderSettings withGpuMemLimit(long bytes) {
        return new CudaProviderSettings(convAlgoSearch, maxWorkspace, tf32, arenaExtension, bytes);
    }

    public CudaProviderSettings withConvAlgoSearch(ConvAlgoSearch search) {
        return new CudaProviderSettings(search, maxWorkspace, tf32, arenaExtension, gpuMemLimit);
    }

    public static ConvAlgoSearch parseSearch(String s) {
        try {
            return ConvAlgoSearch.valueOf(s.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("cuDNN convolution algorithm search must be exhaustive, heuristic or default, got \"" + s + "\"");
        }
    }

    /** The options as ONNX Runtime's CUDA provider reads them ({@code OrtCUDAProviderOptions} keys). */
    public Map<String, String> providerOptions(int device) {
        if (device < 0) throw new IllegalArgumentException("CUDA device must be >= 0, got " + device);
        Map<String, String> o = new LinkedHashMap<>();
        o.put("device_id", Integer.toString(device));
        o.put("cudnn_conv_algo_search", convAlgoSearch.name());
        o.put("cudnn_conv_use_max_workspace", maxWorkspace ? "1" : "0");
        o.put("use_tf32", tf32 ? "1" : "0");
        o.put("arena_extend_strategy", arenaExtension.ortName);
        if (gpuMemLimit > 0) o.put("gpu_mem_limit", Long.toString(gpuMemLimit));
        o.put("do_copy_in_default_stream", "1");
        return o;
    }
}
