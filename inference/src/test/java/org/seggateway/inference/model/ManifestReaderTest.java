package org.seggateway.inference.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.seggateway.inference.TestPackages;

class ManifestReaderTest {

    @TempDir
    Path dir;

    @Test
    void readsEveryField() throws Exception {
        ModelPackage p = TestPackages.softmax("valid_c3", 3)
                .set("patchSize", List.of(12, 14, 16)).set("outputPatchSize", List.of(8, 10, 12))
                .set("targetSpacing", List.of(3.0, 1.5, 1.25)).set("orientation", "ras")
                .set("mirrorAxes", List.of("z", "x")).set("overlap", 0.25).set("blending", "constant")
                .set("padding", Map.of("kind", "mirror")).set("batchSize", 4)
                .load(dir);
        ModelManifest m = p.manifest();
        assertThat(m.name()).isEqualTo("test-valid_c3");
        assertThat(m.patchSize()).isEqualTo(new Shape3(16, 14, 12));
        assertThat(m.outputPatchSize()).isEqualTo(new Shape3(12, 10, 8));
        assertThat(m.margin(0)).isEqualTo(2);
        assertThat(m.targetSpacing()).containsExactly(1.25, 1.5, 3.0);
        assertThat(m.orientation()).isEqualTo("RAS");
        assertThat(m.mirrorAxes()).containsExactly(true, false, true);
        assertThat(m.overlap()).isEqualTo(0.25);
        assertThat(m.blending()).isEqualTo(Blending.CONSTANT);
        assertThat(m.padding().kind()).isEqualTo(Padding.Kind.MIRROR);
        assertThat(m.batchSize()).isEqualTo(4);
        assertThat(m.normalization()).isEqualTo(new Normalization.CtZScore(-100, 200, 50, 80));
        assertThat(m.labels()).extracting(LabelSpec::value).containsExactly(1, 2);
        assertThat(m.labels().get(1).segmentDescription("a", "1").type().value()).isEqualTo("10200004");
        assertThat(p.onnxFile()).isRegularFile();
    }

    @Test
    void defaultsApplyWhenOptionalFieldsAreAbsent() throws Exception {
        ModelManifest m = TestPackages.softmax("same_c2", 2).set("overlap", null).set("blending", null)
                .set("mirrorAxes", null).set("batchSize", null).set("padding", null).set("onnx", null).load(dir).manifest();
        assertThat(m.overlap()).isEqualTo(0.5);
        assertThat(m.blending()).isEqualTo(Blending.GAUSSIAN);
        assertThat(m.mirrorAxes()).containsExactly(false, false, false);
        assertThat(m.batchSize()).isEqualTo(1);
        assertThat(m.padding()).isEqualTo(new Padding(Padding.Kind.CONSTANT, 0));
        assertThat(m.outputPatchSize()).isEqualTo(m.patchSize());
        assertThat(m.targetSpacing()).isNull();
        assertThat(m.orientation()).isNull();
    }

    static Stream<Arguments> invalid() {
        return Stream.of(
                Arguments.of("name", null, "field 'name': is missing"),
                Arguments.of("version", "", "field 'version': must not be empty"),
                Arguments.of("input", Map.of("channels", 1), "field 'input.name'"),
                Arguments.of("input", Map.of("name", "image", "channels", 3), "field 'input.channels'"),
                Arguments.of("output", Map.of("name", "logits", "channels", 2, "kind", "relu"), "field 'output.kind'"),
                Arguments.of("output", Map.of("name", "logits", "channels", 1, "kind", "softmax"), "field 'output.channels'"),
                Arguments.of("output", Map.of("name", "logits", "channels", 4, "kind", "softmax"), "field 'labels': a softmax output of 4 channels needs 3 labels"),
                Arguments.of("patchSize", List.of(8, 8), "field 'patchSize'"),
                Arguments.of("patchSize", List.of(8, 0, 8), "field 'patchSize'"),
                Arguments.of("outputPatchSize", List.of(7, 8, 8), "field 'outputPatchSize'"),
                Arguments.of("outputPatchSize", List.of(10, 8, 8), "field 'outputPatchSize'"),
                Arguments.of("targetSpacing", List.of(1, -1, 1), "field 'targetSpacing'"),
                Arguments.of("targetSpacing", "coarse", "field 'targetSpacing'"),
                Arguments.of("orientation", "LPX", "field 'orientation'"),
                Arguments.of("orientation", "LRS", "field 'orientation'"),
                Arguments.of("normalization", Map.of("kind", "ct-zscore", "clip", List.of(0, 1), "mean", 0, "std", 0), "field 'normalization.std'"),
                Arguments.of("normalization", Map.of("kind", "ct-zscore", "mean", 0, "std", 1), "field 'normalization.clip': is missing"),
                Arguments.of("normalization", Map.of("kind", "ct-window", "window", List.of(5, 1)), "field 'normalization.window'"),
                Arguments.of("normalization", Map.of("kind", "pet-suv"), "field 'normalization.kind'"),
                Arguments.of("padding", Map.of("kind", "constant"), "field 'padding.value'"),
                Arguments.of("padding", Map.of("kind", "wrap"), "field 'padding.kind'"),
                Arguments.of("overlap", 1.0, "field 'overlap'"),
                Arguments.of("blending", "linear", "field 'blending'"),
                Arguments.of("mirrorAxes", List.of("x", "x"), "field 'mirrorAxes'"),
                Arguments.of("mirrorAxes", List.of("w"), "field 'mirrorAxes'"),
                Arguments.of("batchSize", 0, "field 'batchSize'"),
                Arguments.of("labels", List.of(), "field 'labels'"),
                Arguments.of("labels", List.of(Map.of("value", 2, "name", "x",
                        "category", Map.of("code", "1", "scheme", "SCT", "meaning", "m"),
                        "type", Map.of("code", "1", "scheme", "SCT", "meaning", "m"))), "field 'labels[0].value'"),
                Arguments.of("labels", List.of(Map.of("value", 1, "name", "x",
                        "category", Map.of("code", "1", "scheme", "SCT", "meaning", "m"))), "field 'labels[0].type': is missing"),
                Arguments.of("labels", List.of(Map.of("value", 1, "name", "x", "color", List.of(1, 2, 300),
                        "category", Map.of("code", "1", "scheme", "SCT", "meaning", "m"),
                        "type", Map.of("code", "1", "scheme", "SCT", "meaning", "m"))), "field 'labels[0].color'"),
                Arguments.of("labels", List.of(Map.of("value", 1, "name", "x",
                        "category", Map.of("code", "1", "scheme", "SCT"),
                        "type", Map.of("code", "1", "scheme", "SCT", "meaning", "m"))), "field 'labels[0].category.meaning'"),
                Arguments.of("onnx", "other.onnx", "field 'onnx': file"),
                Arguments.of("patchsize", List.of(8, 8, 8), "field 'patchsize': unknown field"));
    }

    @ParameterizedTest(name = "{0} = {1}")
    @MethodSource("invalid")
    void invalidFieldsAreNamed(String field, Object value, String message) throws Exception {
        TestPackages.Spec spec = TestPackages.softmax("same_c2", 2).set(field, value);
        Path written = spec.write(dir);
        assertThatThrownBy(() -> ModelPackage.load(written))
                .isInstanceOf(ModelPackageException.class)
                .hasMessageContaining(written.resolve("model.json").toString())
                .hasMessageContaining(message);
    }

    @Test
    void missingManifestAndBrokenJsonAreReported() throws Exception {
        assertThatThrownBy(() -> ModelPackage.load(dir)).hasMessageContaining("missing model.json");
        Files.writeString(dir.resolve("model.json"), "{\"name\": ");
        assertThatThrownBy(() -> ModelPackage.load(dir)).hasMessageContaining("not valid JSON");
        assertThatThrownBy(() -> ModelPackage.load(dir.resolve("nope"))).hasMessageContaining("not a folder");
    }
}
