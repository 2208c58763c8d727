package org.seggateway.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.seggateway.inference.runtime.ExecutionProvider;
import org.seggateway.inference.runtime.RuntimeOptions;
import picocli.CommandLine;

class GpuOptionsTest {

    @Test
    void workerGpuOptionsReachTheRuntime() {
        WorkerCommand worker = new WorkerCommand();
        new CommandLine(worker).parseArgs("--bootstrap-servers", "k:9092", "--models", "m", "--provider", "cuda", "--device", "1",
                "--cuda", "13", "--cuda-libs", "/opt/a,/opt/b", "--ort-natives", "/opt/ort", "--cuda-tf32", "--gpu-mem-limit", "1024",
                "--cudnn-conv-search", "heuristic", "--max-window-batch", "4", "--gpu-mib-per-window", "512");
        RuntimeOptions r = worker.gpu.runtime(worker.provider, 2);
        assertThat(r.provider()).isEqualTo(ExecutionProvider.CUDA);
        assertThat(r.cudaDevice()).isEqualTo(1);
        assertThat(r.cuda().cudaMajor()).isEqualTo(13);
        assertThat(r.cuda().libraryFolders()).containsExactly(Path.of("/opt/a"), Path.of("/opt/b"));
        assertThat(r.cuda().ortNatives()).isEqualTo(Path.of("/opt/ort"));
        assertThat(r.cuda().maxWindowBatch()).isEqualTo(4);
        assertThat(r.cuda().gpuBytesPerWindow()).isEqualTo(512L << 20);
        assertThat(r.cuda().provider().providerOptions(r.cudaDevice())).contains(entry("device_id", "1"), entry("use_tf32", "1"),
                entry("gpu_mem_limit", Long.toString(1024L << 20)), entry("cudnn_conv_algo_search", "HEURISTIC"));
    }

    @Test
    void defaultsAreAutoDeviceZeroAndNoTf32() {
        BenchInferCommand bench = new BenchInferCommand();
        new CommandLine(bench).parseArgs("--model", "m");
        RuntimeOptions r = bench.gpu.runtime(bench.provider, 0);
        assertThat(r.provider()).isEqualTo(ExecutionProvider.CPU);
        assertThat(r.cudaDevice()).isZero();
        assertThat(r.cuda().cudaMajor()).isZero();
        assertThat(r.cuda().provider().tf32()).isFalse();
    }

    @Test
    void workersOfOtherGpusGetIdsOfTheirOwn() {
        String host = WorkerCommand.defaultWorkerId(0);
        assertThat(WorkerCommand.defaultWorkerId(1)).isEqualTo(host + "-gpu1");
        assertThat(WorkerCommand.defaultWorkerId(3)).isEqualTo(host + "-gpu3");
    }

    @Test
    void aBadCudaVersionIsRefused() {
        WorkerCommand worker = new WorkerCommand();
        new CommandLine(worker).parseArgs("--bootstrap-servers", "k:9092", "--models", "m", "--cuda", "11");
        assertThatThrownBy(() -> worker.gpu.runtime(worker.provider, 0)).hasMessageContaining("12, 13 or auto");
    }
}
