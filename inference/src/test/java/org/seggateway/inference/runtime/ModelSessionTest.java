package org.seggateway.inference.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.seggateway.inference.Segmenter;
import org.seggateway.inference.TestPackages;
import org.seggateway.inference.TestVolumes;
import org.seggateway.inference.model.ModelPackage;
import org.seggateway.inference.model.ModelPackageException;

class ModelSessionTest {

    @TempDir
    Path dir;

    @Test
    void matchingFixedShapeModelOpensAndRuns() throws Exception {
        ModelPackage p = TestPackages.softmax("fixed_c2", 2).set("batchSize", 1).load(dir);
        try (Segmenter s = Segmenter.open(p, RuntimeOptions.cpu(1))) {
            assertThat(s.session().provider()).isEqualTo(ExecutionProvider.CPU);
            assertThat(s.segment(TestVolumes.ct(10, 9, 8, new double[] {1, 1, 1}, TestVolumes.IDENTITY, 1)).windows()).isEqualTo(4); // x and y need 2 windows, z fits one
        }
    }

    @Test
    void everyEnsembleMemberIsCheckedAndNamed() throws Exception {
        // the second member has 4 output classes where the manifest says 2
        ModelPackage p = TestPackages.softmax("same_c2", 2).ensemble("same_c2_fold1", "same_c4").load(dir);
        assertThatThrownBy(() -> ModelSession.open(p, RuntimeOptions.cpu(1))).isInstanceOf(ModelPackageException.class)
                .hasMessageContaining("member2.onnx").hasMessageContaining("'output.channels'");
    }

    @Test
    void ensembleOpensOneSessionPerFile() throws Exception {
        ModelPackage p = TestPackages.softmax("same_c2", 2).ensemble("same_c2_fold1", "same_c2_fold2").load(dir);
        try (ModelSession s = ModelSession.open(p, RuntimeOptions.cpu(1))) {
            assertThat(s.members()).hasSize(3);
        }
    }

    @Test
    void inputChannelMismatchIsNamed() throws Exception {
        ModelPackage p = TestPackages.softmax("same_c2", 2).set("input", Map.of("name", "image", "channels", 2)).load(dir);
        assertThatThrownBy(() -> ModelSession.open(p, RuntimeOptions.cpu(1)))
                .hasMessageContaining("input 'image'").hasMessageContaining("'input.channels'");
    }

    @Test
    void inputNameMismatchIsNamed() throws Exception {
        ModelPackage p = TestPackages.softmax("same_c2", 2).set("input", Map.of("name", "ct", "channels", 1)).load(dir);
        assertThatThrownBy(() -> ModelSession.open(p, RuntimeOptions.cpu(1))).isInstanceOf(ModelPackageException.class)
                .hasMessageContaining("no input named 'ct'").hasMessageContaining("input.name").hasMessageContaining("[image]");
    }

    @Test
    void outputNameMismatchIsNamed() throws Exception {
        ModelPackage p = TestPackages.softmax("same_c2", 2).set("output", Map.of("name", "probs", "channels", 2, "kind", "softmax")).load(dir);
        assertThatThrownBy(() -> ModelSession.open(p, RuntimeOptions.cpu(1)))
                .hasMessageContaining("no output named 'probs'").hasMessageContaining("[logits]");
    }

    @Test
    void patchSizeMismatchIsNamed() throws Exception {
        ModelPackage p = TestPackages.softmax("fixed_c2", 2).set("batchSize", 1).set("patchSize", List.of(8, 8, 16)).load(dir);
        assertThatThrownBy(() -> ModelSession.open(p, RuntimeOptions.cpu(1)))
                .hasMessageContaining("input 'image'").hasMessageContaining("[1, 1, 8, 8, 8]").hasMessageContaining("'patchSize'");
    }

    @Test
    void channelMismatchIsNamed() throws Exception {
        ModelPackage p = TestPackages.softmax("fixed_c2", 3).set("batchSize", 1).load(dir);
        assertThatThrownBy(() -> ModelSession.open(p, RuntimeOptions.cpu(1)))
                .hasMessageContaining("output 'logits'").hasMessageContaining("'output.channels'");
    }

    @Test
    void fixedBatchMismatchIsNamed() throws Exception {
        ModelPackage p = TestPackages.softmax("fixed_c2", 2).set("batchSize", 2).load(dir);
        assertThatThrownBy(() -> ModelSession.open(p, RuntimeOptions.cpu(1))).hasMessageContaining("batchSize 2");
    }

    @Test
    void autoFallsBackToCpuWithoutCuda() throws Exception {
        ModelPackage p = TestPackages.softmax("same_c2", 2).load(dir);
        try (ModelSession s = ModelSession.open(p, RuntimeOptions.defaults())) {
            // the CPU artifact (the default dependency) has no CUDA provider; with the gpu profile on a GPU machine it would be CUDA
            assertThat(s.provider()).isIn(ExecutionProvider.CPU, ExecutionProvider.CUDA);
            if (!ai.onnxruntime.OrtEnvironment.getAvailableProviders().contains(ai.onnxruntime.OrtProvider.CUDA))
                assertThat(s.provider()).isEqualTo(ExecutionProvider.CPU);
        }
    }

    @Test
    void explicitCudaWithoutCudaFailsClearly() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeFalse(
                ai.onnxruntime.OrtEnvironment.getAvailableProviders().contains(ai.onnxruntime.OrtProvider.CUDA),
                "CUDA is available here; the failure path cannot be shown");
        ModelPackage p = TestPackages.softmax("same_c2", 2).load(dir);
        assertThatThrownBy(() -> ModelSession.open(p, new RuntimeOptions(ExecutionProvider.CUDA, 1, 0)))
                .hasMessageContaining("CUDA execution provider does not load");
    }

    @Test
    void providerNamesParse() {
        assertThat(ExecutionProvider.parse("Cuda")).isEqualTo(ExecutionProvider.CUDA);
        assertThatThrownBy(() -> ExecutionProvider.parse("tpu")).hasMessageContaining("cpu, cuda or auto");
    }
}
