package org.seggateway.inference.runtime;

import java.nio.file.Path;
import java.util.List;

/**
 * How a worker finds and uses CUDA (docs/operator-guide.md, "GPU workers").
 *
 * @param cudaMajor        12 or 13: the CUDA generation whose ONNX Runtime build to load; 0 = detect it from the
 *                         {@code libcudart.so.N} found ({@link CudaLibraries})
 * @param libraryFolders   folders searched for the CUDA and cuDNN libraries before the usual places
 * @param ortNatives       the ONNX Runtime native libraries: a folder holding {@code libonnxruntime_providers_cuda.so}
 *                         itself, or one with a {@code cuda12/} and {@code cuda13/} build each (what
 *                         scripts/fetch-gpu-natives.sh writes); null = {@code -Dseg-gateway.gpu-natives},
 *                         {@code $SEG_GATEWAY_GPU_NATIVES} or {@code .gpu-natives/} of the installation
 * @param provider         the CUDA provider's options
 * @param maxWindowBatch   the most windows one network run takes on a GPU (the batch grows from the manifest's
 *                         batchSize with the free GPU memory, up to this; host memory grows with it)
 * @param gpuBytesPerWindow GPU memory one window needs inside the network; 0 = {@link WindowBatchSize#estimate}
 */
public record CudaSetup(int cudaMajor, List<Path> libraryFolders, Path ortNatives, CudaProviderSettings provider,
                        int maxWindowBatch, long gpuBytesPerWindow) {

    public static final int DEFAULT_MAX_WINDOW_BATCH = 8;

    public CudaSetup {
        if (cudaMajor != 0 && !CudaLibraries.SUPPORTED.contains(cudaMajor))
            throw new IllegalArgumentException("CUDA version must be 12, 13 or auto, got " + cudaMajor);
        if (maxWindowBatch < 1) throw new IllegalArgumentException("the largest window batch must be >= 1, got " + maxWindowBatch);
        if (gpuBytesPerWindow < 0) throw new IllegalArgumentException("GPU bytes per window must be >= 0, got " + gpuBytesPerWindow);
        libraryFolders = List.copyOf(libraryFolders);
        if (provider == null) provider = CudaProviderSettings.defaults();
    }

    public static CudaSetup defaults() {
        return new CudaSetup(0, List.of(), null, CudaProviderSettings.defaults(), DEFAULT_MAX_WINDOW_BATCH, 0);
    }

    /** "12", "13" or "auto" (0). */
    public static int parseCudaMajor(String s) {
        String v = s.trim();
        if (v.equalsIgnoreCase("auto")) return 0;
        try {
            int major = Integer.parseInt(v);
            if (CudaLibraries.SUPPORTED.contains(major)) return major;
        } catch (NumberFormatException e) {
            // the message below
        }
        throw new IllegalArgumentException("CUDA version must be 12, 13 or auto, got \"" + s + "\"");
    }

    public CudaSetup withProvider(CudaProviderSettings p) {
        return new CudaSetup(cudaMajor, libraryFolders, ortNatives, p, maxWindowBatch, gpuBytesPerWindow);
    }
}
