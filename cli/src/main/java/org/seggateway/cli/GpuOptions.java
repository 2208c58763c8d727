package org.seggateway.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.seggateway.inference.runtime.CudaProviderSettings;
import org.seggateway.inference.runtime.CudaSetup;
import org.seggateway.inference.runtime.ExecutionProvider;
import org.seggateway.inference.runtime.RuntimeOptions;
import picocli.CommandLine.Option;

/** The GPU options of the commands that run a model (docs/operator-guide.md, "GPU workers"). */
final class GpuOptions {

    @Option(names = "--device", defaultValue = "0", paramLabel = "N",
            description = "CUDA device (one worker per GPU: --device 0, --device 1, ...; default ${DEFAULT-VALUE})")
    int device;

    @Option(names = "--cuda", defaultValue = "auto", paramLabel = "12|13|auto",
            description = "CUDA generation of the ONNX Runtime build to load; auto: from the libcudart.so.N found (default ${DEFAULT-VALUE})")
    String cuda;

    @Option(names = "--cuda-libs", split = ",", paramLabel = "DIR[,DIR...]",
            description = "folders holding the CUDA and cuDNN libraries, searched before LD_LIBRARY_PATH, /usr/local/cuda*/lib64 "
                    + "and Python's nvidia/*/lib packages")
    List<Path> cudaLibs = new ArrayList<>();

    @Option(names = "--ort-natives", paramLabel = "DIR",
            description = "ONNX Runtime natives for CUDA: one build's folder, or one holding cuda12/ and cuda13/ "
                    + "(default: .gpu-natives/ of the installation, written by scripts/fetch-gpu-natives.sh)")
    Path ortNatives;

    @Option(names = "--cuda-tf32", description = "let cuDNN and cuBLAS use TF32 (faster; probabilities differ from float32 by about 1e-3)")
    boolean tf32;

    @Option(names = "--cudnn-conv-search", defaultValue = "exhaustive", paramLabel = "exhaustive|heuristic|default",
            description = "how cuDNN picks convolution algorithms (default ${DEFAULT-VALUE}: benchmarked once per window shape)")
    String convSearch;

    @Option(names = "--gpu-mem-limit", defaultValue = "0", paramLabel = "MIB",
            description = "GPU memory ONNX Runtime's arena may hold, MiB (0 = no limit of its own)")
    long gpuMemLimitMib;

    @Option(names = "--max-window-batch", defaultValue = "" + CudaSetup.DEFAULT_MAX_WINDOW_BATCH, paramLabel = "N",
            description = "most windows per network run on a GPU; the batch grows from the manifest's batchSize with the free GPU memory (default ${DEFAULT-VALUE})")
    int maxWindowBatch;

    @Option(names = "--gpu-mib-per-window", defaultValue = "0", paramLabel = "MIB",
            description = "GPU memory one window needs inside the network, MiB, for the batch sizing (0 = estimated from the patch size)")
    long mibPerWindow;

    RuntimeOptions runtime(String provider, int threads) {
        CudaProviderSettings settings = CudaProviderSettings.defaults().withTf32(tf32)
                .withConvAlgoSearch(CudaProviderSettings.parseSearch(convSearch)).withGpuMemLimit(gpuMemLimitMib << 20);
        CudaSetup setup = new CudaSetup(CudaSetup.parseCudaMajor(cuda), cudaLibs, ortNatives, settings, maxWindowBatch,
                mibPerWindow << 20);
        return new RuntimeOptions(ExecutionProvider.parse(provider), threads, device, setup);
    }
}
