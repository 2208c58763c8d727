package org.seggateway.inference.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CudaLibrariesTest {

    @TempDir
    Path dir;

    private Path folder(String name, String... files) throws IOException {
        Path f = Files.createDirectories(dir.resolve(name));
        for (String file : files) Files.writeString(f.resolve(file), "");
        return f;
    }

    @Test
    void configuredFoldersComeFirstThenLdLibraryPathThenCudaHome() throws IOException {
        Path configured = folder("configured"), ld1 = folder("ld1"), ld2 = folder("ld2"), home = folder("home/lib64");
        CudaLibraries libs = CudaLibraries.search(List.of(configured),
                Map.of("LD_LIBRARY_PATH", ld1 + "::" + ld2 + ":" + dir.resolve("absent"), "CUDA_HOME", home.getParent().toString()),
                List.of());
        assertThat(libs.folders()).startsWith(configured, ld1, ld2, home);
        assertThat(libs.folders()).doesNotContain(dir.resolve("absent"));
    }

    @Test
    void pythonNvidiaWheelsAreSearched() throws IOException {
        Path site = dir.resolve("site-packages");
        Path cublas = folder("site-packages/nvidia/cu13/lib", "libcudart.so.13", "libcublas.so.13", "libcublasLt.so.13");
        Path cudnn = folder("site-packages/nvidia/cudnn/lib", "libcudnn.so.9", "libcudnn_graph.so.9", "libcudnn_cnn.so.9");
        folder("site-packages/nvidia/nccl/include");
        CudaLibraries found = CudaLibraries.search(List.of(), Map.of(), List.of(site));
        assertThat(found.folders()).contains(cublas, cudnn);
        // this machine's own CUDA folders left out
        CudaLibraries libs = new CudaLibraries(found.folders().stream().filter(f -> f.startsWith(dir)).toList());
        assertThat(libs.detectMajor()).hasValue(13);
        CudaLibraries.Resolved r = libs.resolve(13);
        assertThat(r.complete()).isTrue();
        // load order: runtime, cuBLASLt before cuBLAS, cuDNN's parts before libcudnn.so.9
        assertThat(r.libraries()).containsExactly(cublas.resolve("libcudart.so.13"), cublas.resolve("libcublasLt.so.13"),
                cublas.resolve("libcublas.so.13"), cudnn.resolve("libcudnn_graph.so.9"), cudnn.resolve("libcudnn_cnn.so.9"),
                cudnn.resolve("libcudnn.so.9"));
    }

    @Test
    void generationIsTheFirstRuntimeFound() throws IOException {
        Path twelve = folder("a", "libcudart.so.12"), thirteen = folder("b", "libcudart.so.13");
        assertThat(new CudaLibraries(List.of(twelve, thirteen)).detectMajor()).hasValue(12);
        assertThat(new CudaLibraries(List.of(thirteen, twelve)).detectMajor()).hasValue(13);
        assertThat(new CudaLibraries(List.of(folder("both", "libcudart.so.12", "libcudart.so.13"))).detectMajor()).hasValue(13);
        assertThat(new CudaLibraries(List.of(folder("none", "libcudart.so.11"))).detectMajor()).isEmpty();
    }

    @Test
    void missingLibrariesAreNamed() throws IOException {
        CudaLibraries libs = new CudaLibraries(List.of(folder("partial", "libcudart.so.12", "libcublas.so.12")));
        CudaLibraries.Resolved r = libs.resolve(12);
        assertThat(r.complete()).isFalse();
        // the official CUDA 12 provider also links cuRAND and cuFFT
        assertThat(r.missing()).containsExactly("libcublasLt.so.12", "libcurand.so.10", "libcufft.so.11", "libcudnn.so.9");
    }

    @Test
    void versionedCudaFoldersNewestFirst() throws IOException {
        for (String v : List.of("cuda-12.4", "cuda-13.0", "cuda-12.10", "cudnn")) folder("local/" + v + "/lib64");
        assertThat(CudaLibraries.versionedCudaFolders(dir.resolve("local"))).containsExactly(
                dir.resolve("local/cuda-13.0/lib64"), dir.resolve("local/cuda-12.10/lib64"), dir.resolve("local/cuda-12.4/lib64"));
    }
}
