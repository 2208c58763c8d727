package org.seggateway.inference.queue;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * Where a worker runs a job's network, as its {@link JobStarted} tells the gateway.
 *
 * @param provider       {@code CPU} or {@code CUDA} (the provider the session runs on, a fallback resolved)
 * @param gpu            the GPU's name and index ({@code "NVIDIA H200 (0)"}); null on CPU
 * @param gpuMemoryBytes the GPU's total memory; null on CPU or when unknown
 * @param cuda           the CUDA generation and driver ({@code "13, driver 580.159.03"}); null on CPU
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ExecutionDevice(String provider, String gpu, Long gpuMemoryBytes, String cuda) {

    public static ExecutionDevice cpu() {
        return new ExecutionDevice("CPU", null, null, null);
    }
}
