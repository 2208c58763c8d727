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
        assertThat(m.normalizations()).containsExactly(new Normalization.CtZScore(-100, 200, 50, 80));
        assertThat(m.labels()).extracting(LabelSpec::value).containsExactly(1, 2);
        assertThat(m.labels()).extracting(LabelSpec::channel).containsExactly(1, 2);
        assertThat(m.labelValueOfChannel()).containsExactly(0, 1, 2);
        assertThat(m.labels().get(1).segmentDescription("a", "1").type().value()).isEqualTo("10200004");
        assertThat(p.onnxFiles()).singleElement().satisfies(f -> assertThat(f).isRegularFile());
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
        assertThat(m.targetShape()).isNull();
        assertThat(m.resampling()).isEqualTo(new ImageResampling(ImageResampling.Interpolation.LINEAR, false));
        assertThat(m.orientation()).isNull();
        assertThat(m.onnxFiles()).containsExactly("model.onnx");
        assertThat(m.ensembleSize()).isEqualTo(1);
    }

    @Test
    void sigmoidLabelsDefaultToChannelValueMinusOne() throws Exception {
        ModelManifest m = TestPackages.sigmoid("sigmoid_c2", 2).load(dir).manifest();
        assertThat(m.labels()).extracting(LabelSpec::channel).containsExactly(0, 1);
        assertThat(m.labelValueOfChannel()).containsExactly(1, 2);
    }

    @Test
    void readsVersion2Fields() throws Exception {
        TestPackages.Spec spec = TestPackages.softmax("same_c4", 4)
                .set("onnx", List.of("model.onnx", "fold1.onnx"))
                .set("input", Map.of("name", "image", "channels", 3))
                .set("targetSpacing", null).set("targetShape", List.of(6, 20, 24))
                .set("resampling", Map.of("image", "cubic", "antialias", true))
                .set("normalization", List.of(
                        Map.of("kind", "ct-window", "window", List.of(-150, 250)),
                        Map.of("kind", "ct-percentile-zscore", "percentile_00_5", -958.0, "percentile_99_5", 327.0,
                                "mean", 84.5, "std", 0.0),
                        Map.of("kind", "mr-zscore")))
                .set("labels", List.of(label(200, "Spleen", 3), label(7, "Liver", 1)));
        Path written = spec.write(dir);
        Files.copy(written.resolve("model.onnx"), written.resolve("fold1.onnx"));
        ModelPackage p = ModelPackage.load(written);
        ModelManifest m = p.manifest();
        assertThat(m.onnxFiles()).containsExactly("model.onnx", "fold1.onnx");
        assertThat(p.onnxFiles()).containsExactly(written.resolve("model.onnx"), written.resolve("fold1.onnx"));
        assertThat(m.ensembleSize()).isEqualTo(2);
        assertThat(m.inputChannels()).isEqualTo(3);
        assertThat(m.targetShape()).isEqualTo(new Shape3(24, 20, 6));
        assertThat(m.targetSpacing()).isNull();
        assertThat(m.resampling()).isEqualTo(new ImageResampling(ImageResampling.Interpolation.CUBIC, true));
        assertThat(m.normalization(0)).isEqualTo(new Normalization.CtWindow(-150, 250));
        assertThat(m.normalization(1)).isEqualTo(new Normalization.CtPercentileZScore(-958, 327, 84.5, 0));
        assertThat(((Normalization.CtPercentileZScore) m.normalization(1)).divisor()).isEqualTo(1e-8);
        assertThat(m.normalization(2)).isEqualTo(new Normalization.MrZScore(0));
        assertThat(m.labelValueOfChannel()).containsExactly(0, 7, 0, 200);
        assertThat(m.labels()).extracting(LabelSpec::name).containsExactly("Spleen", "Liver");
    }

    @Test
    void oneNormalizationObjectAppliesToEveryChannel() throws Exception {
        ModelManifest m = TestPackages.softmax("same_c2", 2).set("input", Map.of("name", "image", "channels", 2))
                .load(dir).manifest();
        assertThat(m.normalizations()).hasSize(2).containsOnly(new Normalization.CtZScore(-100, 200, 50, 80));
    }

    @Test
    void nameOnlyLabelsTakeTheirCodesFromTheLookup() throws Exception {
        org.seggateway.dicomio.seg.Code category = new org.seggateway.dicomio.seg.Code("123037004", "SCT", "Anatomical Structure");
        org.seggateway.dicomio.seg.Code liver = new org.seggateway.dicomio.seg.Code("10200004", "SCT", "Liver");
        Path unknown = TestPackages.softmax("same_c2", 2).set("labels", List.of(Map.of("value", 1, "name", "flux capacitor"))).write(dir);
        assertThatThrownBy(() -> ModelPackage.load(unknown))
                .hasMessageContaining("field 'labels[0]': gives only a name")
                .hasMessageContaining("add \"category\" and \"type\"");
        // the built-in table of anatomical names (SegmentCodes) is the default lookup
        Path builtIn = TestPackages.softmax("same_c2", 2).set("labels", List.of(Map.of("value", 1, "name", "Liver"))).write(dir);
        LabelSpec fromTable = ModelPackage.load(builtIn).manifest().labels().getFirst();
        assertThat(fromTable.category()).isEqualTo(category);
        assertThat(fromTable.type()).isEqualTo(liver);
        assertThatThrownBy(() -> ModelPackage.load(builtIn, LabelCodes.NONE)).hasMessageContaining("gives only a name");
        org.seggateway.dicomio.seg.Code other = new org.seggateway.dicomio.seg.Code("78961009", "SCT", "Spleen");
        LabelCodes table = name -> name.equals("Liver") ? java.util.Optional.of(new LabelCodes.Codes(category, other, null))
                : java.util.Optional.empty();
        LabelSpec l = ModelPackage.load(builtIn, table).manifest().labels().getFirst();
        assertThat(l.category()).isEqualTo(category);
        assertThat(l.type()).isEqualTo(other);
    }

    @Test
    void pairedStructuresCarryTheirSideAsTypeModifier() throws Exception {
        org.seggateway.dicomio.seg.Code left = new org.seggateway.dicomio.seg.Code("7771000", "SCT", "Left");
        org.seggateway.dicomio.seg.Code right = new org.seggateway.dicomio.seg.Code("24028007", "SCT", "Right");
        Path named = TestPackages.softmax("same_c2", 2).set("labels", List.of(Map.of("value", 1, "name", "kidney_left"))).write(dir);
        LabelSpec kidney = ModelPackage.load(named).manifest().labels().getFirst();
        assertThat(kidney.type().value()).isEqualTo("64033007");
        assertThat(kidney.typeModifier()).isEqualTo(left);
        assertThat(kidney.segmentDescription("m", "1").typeModifier()).isEqualTo(left);

        Path given = TestPackages.softmax("same_c2", 2).set("labels", List.of(Map.of("value", 1, "name", "Kidney",
                "typeModifier", Map.of("code", "24028007", "scheme", "SCT", "meaning", "Right")))).write(dir);
        assertThat(ModelPackage.load(given).manifest().labels().getFirst().typeModifier()).isEqualTo(right);

        Path typo = TestPackages.softmax("same_c2", 2).set("labels", List.of(Map.of("value", 1, "name", "Liver", "colour", List.of(1, 2, 3)))).write(dir);
        assertThatThrownBy(() -> ModelPackage.load(typo)).hasMessageContaining("labels[0].colour").hasMessageContaining("unknown field");
    }

    private static Map<String, Object> label(int value, String name, Integer channel) {
        Map<String, Object> l = new java.util.LinkedHashMap<>();
        l.put("value", value);
        l.put("name", name);
        l.put("category", Map.of("code", "123037004", "scheme", "SCT", "meaning", "Anatomical Structure"));
        l.put("type", Map.of("code", "10200004", "scheme", "SCT", "meaning", "Liver"));
        if (channel != null) l.put("channel", channel);
        return l;
    }

    static Stream<Arguments> invalid() {
        return Stream.of(
                Arguments.of("name", null, "field 'name': is missing"),
                Arguments.of("version", "", "field 'version': must not be empty"),
                Arguments.of("input", Map.of("channels", 1), "field 'input.name'"),
                Arguments.of("input", Map.of("name", "image", "channels", 0), "field 'input.channels'"),
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
                Arguments.of("onnx", List.of("model.onnx", "fold1.onnx"), "field 'onnx[1]': file"),
                Arguments.of("onnx", List.of("model.onnx", "model.onnx"), "field 'onnx[1]': file \"model.onnx\" listed twice"),
                Arguments.of("onnx", List.of(), "field 'onnx'"),
                Arguments.of("onnx", List.of("model.onnx", 3), "field 'onnx[1]'"),
                Arguments.of("onnx", List.of("../x.onnx"), "field 'onnx': must name a file inside the package"),
                Arguments.of("targetShape", List.of(8, 8, 8), "field 'targetShape': give exactly one of targetSpacing"),
                Arguments.of("targetSpacing", null, "field 'targetSpacing': give exactly one of targetSpacing"),
                Arguments.of("resampling", Map.of("image", "quintic"), "field 'resampling.image'"),
                Arguments.of("resampling", Map.of("antialias", "yes"), "field 'resampling.antialias'"),
                Arguments.of("resampling", Map.of("order", 3), "field 'resampling.order': unknown field"),
                Arguments.of("resampling", "cubic", "field 'resampling': must be an object"),
                Arguments.of("normalization", List.of(Map.of("kind", "none"), Map.of("kind", "none")),
                        "field 'normalization': a list needs one object per input channel: input.channels is 1, the list has 2"),
                Arguments.of("normalization", List.of(Map.of("kind", "ct-window", "window", List.of(5, 1))), "field 'normalization[0].window'"),
                Arguments.of("normalization", List.of(7), "field 'normalization[0]': must be an object"),
                Arguments.of("normalization", Map.of("kind", "ct-percentile-zscore", "percentile_00_5", 100, "percentile_99_5", 50,
                        "mean", 0, "std", 1), "field 'normalization.percentile_99_5'"),
                Arguments.of("normalization", Map.of("kind", "ct-percentile-zscore", "percentile_00_5", 0, "percentile_99_5", 50,
                        "mean", 0, "std", -1), "field 'normalization.std'"),
                Arguments.of("normalization", Map.of("kind", "ct-percentile-zscore", "percentile_00_5", 0, "percentile_99_5", 50,
                        "std", 1), "field 'normalization.mean': is missing"),
                Arguments.of("normalization", Map.of("kind", "ct-percentile-zscore", "percentile_0_5", 0, "percentile_99_5", 50,
                        "mean", 0, "std", 1), "field 'normalization.percentile_0_5': unknown field"),
                Arguments.of("labels", List.of(label(1, "a", 1), label(2, "b", null)), "field 'labels[1].channel': is missing"),
                Arguments.of("labels", List.of(label(1, "a", 2)), "field 'labels[0].channel': must be an output channel 0..1"),
                Arguments.of("labels", List.of(label(1, "a", -1)), "field 'labels[0].channel'"),
                Arguments.of("labels", List.of(label(256, "a", 1)), "field 'labels[0].value': label values are 1..255"),
                Arguments.of("labels", List.of(label(3, "a", 1), label(3, "b", 0)), "field 'labels[1].value': value 3 is given to two labels"),
                Arguments.of("labels", List.of(label(3, "a", 1), label(4, "b", 1)), "field 'labels[1].channel': channel 1 is given to two labels"),
                Arguments.of("labels", List.of(Map.of("value", 1, "name", "no such structure")), "field 'labels[0]': gives only a name"),
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
    void nnunetResamplingTakesOneInputChannel() throws Exception {
        TestPackages.Spec spec = TestPackages.softmax("in2_c4", 4).set("input", Map.of("name", "image", "channels", 2))
                .set("resampling", Map.of("image", "nnunet"));
        Path written = spec.write(dir);
        assertThatThrownBy(() -> ModelPackage.load(written)).isInstanceOf(ModelPackageException.class)
                .hasMessageContaining("field 'resampling.image'").hasMessageContaining("input.channels 1, got 2");
    }

    @Test
    void missingManifestAndBrokenJsonAreReported() throws Exception {
        assertThatThrownBy(() -> ModelPackage.load(dir)).hasMessageContaining("missing model.json");
        Files.writeString(dir.resolve("model.json"), "{\"name\": ");
        assertThatThrownBy(() -> ModelPackage.load(dir)).hasMessageContaining("not valid JSON");
        assertThatThrownBy(() -> ModelPackage.load(dir.resolve("nope"))).hasMessageContaining("not a folder");
    }
}
