package org.seggateway.inference.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The choice of CUDA generation and ONNX Runtime build, on folders made up for each case (nothing is loaded). */
class CudaRuntimeTest {

    @TempDir
    Path dir;

    private Path folder(String name, String... files) throws IOException {
        Path f = Files.createDirectories(dir.resolve(name));
        for (String file : files) Files.writeString(f.resolve(file), "");
        return f;
    }

    private CudaLibraries cuda(int... majors) throws IOException {
        Path f = folder("cuda");
        for (int m : majors)
            for (String n : List.of("libcudart.so.", "libcublas.so.", "libcublasLt.so.")) Files.writeString(f.resolve(n + m), "");
        for (String n : List.of("libcurand.so.10", "libcufft.so.11")) Files.writeString(f.resolve(n), "");
        Files.writeString(f.resolve("libcudnn.so.9"), "");
        return new CudaLibraries(List.of(f));
    }

    private Path natives(int... majors) throws IOException {
        for (int m : majors) folder("natives/cuda" + m, "libonnxruntime_providers_cuda.so", "libonnxruntime.so");
        return Files.createDirectories(dir.resolve("natives"));
    }

    private static CudaSetup setup(int major, Path ortNatives) {
        return new CudaSetup(major, List.of(), ortNatives, CudaProviderSettings.defaults(), 8, 0);
    }

    @Test
    void detectedGenerationPicksItsBuild() throws IOException {
        Path root = natives(12, 13);
        CudaRuntime.Prepared p = CudaRuntime.prepare(setup(0, null), cuda(13), root, false, null);
        assertThat(p.usable()).isTrue();
        assertThat(p.major()).isEqualTo(13);
        assertThat(p.nativesPath()).isEqualTo(root.resolve("cuda13"));
        assertThat(p.libraries()).extracting(l -> l.getFileName().toString())
                .containsExactly("libcudart.so.13", "libcublasLt.so.13", "libcublas.so.13", "libcudnn.so.9");
    }

    @Test
    void configuredGenerationWinsOverDetection() throws IOException {
        CudaRuntime.Prepared p = CudaRuntime.prepare(setup(12, null), cuda(12, 13), natives(12, 13), false, null);
        assertThat(p.major()).isEqualTo(12);
        assertThat(p.nativesPath()).endsWith(Path.of("natives", "cuda12"));
    }

    @Test
    void aFolderHoldingOneBuildIsTakenAsIs() throws IOException {
        Path one = folder("one", "libonnxruntime_providers_cuda.so");
        assertThat(CudaRuntime.prepare(setup(0, one), cuda(13), null, false, null).nativesPath()).isEqualTo(one);
    }

    @Test
    void noBuildForTheGenerationSaysHowToGetOne() throws IOException {
        CudaRuntime.Prepared p = CudaRuntime.prepare(setup(0, null), cuda(13), natives(12), false, null);
        assertThat(p.usable()).isFalse();
        assertThat(p.problem()).contains("no ONNX Runtime build for CUDA 13").contains("scripts/fetch-gpu-natives.sh 13");
    }

    @Test
    void cuda12UsesTheGpuJarOnTheClassPath() throws IOException {
        CudaRuntime.Prepared p = CudaRuntime.prepare(setup(0, null), cuda(12), natives(), true, null);
        assertThat(p.usable()).isTrue();
        assertThat(p.nativesPath()).isNull();
        // the class path's build is CUDA 12: a CUDA 13 host still needs the fetched natives
        assertThat(CudaRuntime.prepare(setup(0, null), cuda(13), natives(), true, null).usable()).isFalse();
    }

    @Test
    void anOperatorsNativePathWins() throws IOException {
        CudaRuntime.Prepared p = CudaRuntime.prepare(setup(0, null), cuda(13), natives(13), false, "/opt/ort");
        assertThat(p.nativesPath()).isEqualTo(Path.of("/opt/ort"));
    }

    @Test
    void noCudaRuntimeOrMissingLibrariesAreNamed() throws IOException {
        CudaRuntime.Prepared none = CudaRuntime.prepare(setup(0, null), new CudaLibraries(List.of(folder("empty"))), natives(13), false, null);
        assertThat(none.usable()).isFalse();
        assertThat(none.problem()).contains("libcudart.so.12 or .13").contains("--cuda-libs");
        CudaLibraries noCudnn = new CudaLibraries(List.of(folder("no-cudnn", "libcudart.so.13", "libcublas.so.13", "libcublasLt.so.13")));
        assertThat(CudaRuntime.prepare(setup(0, null), noCudnn, natives(13), false, null).problem()).contains("[libcudnn.so.9]");
    }

    @Test
    void preloadReportsWhatDoesNotLoad() throws IOException {
        Path notALibrary = folder("bad", "libcudart.so.13").resolve("libcudart.so.13");
        assertThat(CudaRuntime.preload(List.of(notALibrary))).singleElement().asString().startsWith("libcudart.so.13: ");
    }
}
