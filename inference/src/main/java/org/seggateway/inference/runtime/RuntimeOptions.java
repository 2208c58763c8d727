package org.seggateway.inference.runtime;

/**
 * @param intraOpThreads threads ONNX Runtime uses inside one operator; 0 = one per available processor
 * @param cudaDevice     CUDA device number when the provider is CUDA or AUTO
 * @param cuda           how CUDA is found and used (when the provider is CUDA or AUTO)
 */
public record RuntimeOptions(ExecutionProvider provider, int intraOpThreads, int cudaDevice, CudaSetup cuda) {

    public RuntimeOptions {
        if (intraOpThreads < 0) throw new IllegalArgumentException("threads must be >= 0, got " + intraOpThreads);
        if (cudaDevice < 0) throw new IllegalArgumentException("CUDA device must be >= 0, got " + cudaDevice);
        if (cuda == null) cuda = CudaSetup.defaults();
    }

    /** With the default CUDA setup. */
    public RuntimeOptions(ExecutionProvider provider, int intraOpThreads, int cudaDevice) {
        this(provider, intraOpThreads, cudaDevice, CudaSetup.defaults());
    }

    public static RuntimeOptions cpu(int threads) {
        return new RuntimeOptions(ExecutionProvider.CPU, threads, 0);
    }

    public static RuntimeOptions defaults() {
        return new RuntimeOptions(ExecutionProvider.AUTO, 0, 0);
    }

    public int effectiveThreads() {
        return intraOpThreads > 0 ? intraOpThreads : Runtime.getRuntime().availableProcessors();
    }
}
