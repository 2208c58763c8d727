package org.seggateway.inference.runtime;

/**
 * @param intraOpThreads threads ONNX Runtime uses inside one operator; 0 = one per available processor
 * @param cudaDevice     CUDA device number when the provider is CUDA or AUTO
 */
public record RuntimeOptions(ExecutionProvider provider, int intraOpThreads, int cudaDevice) {

    public RuntimeOptions {
        if (intraOpThreads < 0) throw new IllegalArgumentException("threads must be >= 0, got " + intraOpThreads);
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
