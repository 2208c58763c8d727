package org.seggateway.inference;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.seggateway.dicomio.volume.Volume;
import org.seggateway.inference.model.ModelPackage;
import org.seggateway.inference.reference.ReferencePipeline;
import org.seggateway.inference.reference.TinyConvNet;
import org.seggateway.inference.runtime.RuntimeOptions;
import org.seggateway.inference.window.ProgressListener;

/**
 * The engine (ONNX Runtime, float32, batches, pipelined threads, slab accumulator) against the plain-loop
 * double-precision reference of docs/model-package.md: probabilities within 1e-4, labels identical.
 */
class EngineMatchesReferenceTest {

    @TempDir
    Path dir;

    record Case(String name, TestPackages.Spec spec, Supplier<Volume> volume, int mustLabel) {
        Case(String name, TestPackages.Spec spec, Supplier<Volume> volume) {
            this(name, spec, volume, 0);
        }

        @Override
        public String toString() {
            return name;
        }
    }

    static final double[] ISO = {1, 1, 1};

    static Stream<Arguments> cases() {
        List<Case> cases = new ArrayList<>();
        cases.add(new Case("same-size 2 classes, odd sizes, several windows, batch 3",
                TestPackages.softmax("same_c2", 2).set("batchSize", 3),
                () -> TestVolumes.ct(13, 11, 9, ISO, TestVolumes.IDENTITY, 1)));
        cases.add(new Case("same-size 4 classes, anisotropic spacing resampled, LPS, non-cubic patch",
                TestPackages.softmax("same_c4", 4).set("patchSize", List.of(6, 8, 10))
                        .set("targetSpacing", List.of(1.5, 1.5, 1.5)).set("orientation", "LPS"),
                () -> TestVolumes.ct(17, 12, 7, new double[] {0.8, 1.1, 2.5}, TestVolumes.IDENTITY, 2)));
        cases.add(new Case("same-size, volume smaller than the patch, mirror padding",
                TestPackages.softmax("same_c2", 2).set("padding", Map.of("kind", "mirror")),
                () -> TestVolumes.ct(5, 4, 3, ISO, TestVolumes.IDENTITY, 3)));
        cases.add(new Case("same-size, volume smaller than the patch on one axis, constant padding",
                TestPackages.softmax("same_c4", 4).set("batchSize", 1),
                () -> TestVolumes.ct(19, 6, 10, ISO, TestVolumes.IDENTITY, 4)));
        cases.add(new Case("valid convolutions 3 classes, overlap-tile",
                TestPackages.softmax("valid_c3", 3).set("patchSize", List.of(12, 12, 12)).set("outputPatchSize", List.of(8, 8, 8)),
                () -> TestVolumes.ct(17, 14, 11, ISO, TestVolumes.IDENTITY, 5)));
        cases.add(new Case("valid convolutions, volume smaller than the output patch, non-cubic, resampled",
                TestPackages.softmax("valid_c3", 3).set("patchSize", List.of(10, 12, 14)).set("outputPatchSize", List.of(6, 8, 10))
                        .set("targetSpacing", List.of(2.0, 1.0, 1.0)).set("orientation", "RAS").set("padding", Map.of("kind", "mirror")),
                () -> TestVolumes.ct(7, 9, 4, new double[] {1.3, 0.9, 2.2}, TestVolumes.IDENTITY, 6)));
        cases.add(new Case("sigmoid 2 channels, MR z-score, float32 voxels",
                TestPackages.sigmoid("sigmoid_c2", 2).set("normalization", Map.of("kind", "mr-zscore", "foregroundThreshold", 10)),
                () -> TestVolumes.float32(12, 10, 9, new double[] {1.2, 1.2, 3}, 7)));
        cases.add(new Case("mirroring x and z, ct-window, constant blending, overlap 0.25",
                TestPackages.softmax("same_c4", 4).set("mirrorAxes", List.of("x", "z"))
                        .set("normalization", Map.of("kind", "ct-window", "window", List.of(-150, 250)))
                        .set("blending", "constant").set("overlap", 0.25),
                () -> TestVolumes.ct(14, 9, 11, ISO, TestVolumes.IDENTITY, 8)));
        cases.add(new Case("valid convolutions with mirroring over all axes, batch 4",
                TestPackages.softmax("valid_c3", 3).set("patchSize", List.of(10, 10, 10)).set("outputPatchSize", List.of(6, 6, 6))
                        .set("mirrorAxes", List.of("x", "y", "z")).set("batchSize", 4),
                () -> TestVolumes.ct(9, 8, 10, ISO, TestVolumes.IDENTITY, 9)));
        // resampling methods (docs/model-package.md step 2): targetShape, cubic, nnunet, anti-aliasing
        cases.add(new Case("targetShape, linear, LPS from a flipped source",
                TestPackages.softmax("same_c2", 2).set("targetSpacing", null).set("targetShape", List.of(6, 9, 11))
                        .set("orientation", "LPS"),
                () -> TestVolumes.ct(17, 12, 7, new double[] {0.8, 1.1, 2.5}, OrientationCodes.allAxisAlignedDirections().get(5), 12)));
        cases.add(new Case("targetShape, linear with anti-aliasing (downsampled x and y, upsampled z)",
                TestPackages.softmax("same_c4", 4).set("targetSpacing", null).set("targetShape", List.of(9, 7, 6))
                        .set("resampling", Map.of("image", "linear", "antialias", true)),
                () -> TestVolumes.ct(19, 16, 5, ISO, TestVolumes.IDENTITY, 13)));
        cases.add(new Case("cubic to a spacing, anisotropic source",
                TestPackages.softmax("same_c4", 4).set("targetSpacing", List.of(1.5, 1.5, 1.5))
                        .set("resampling", Map.of("image", "cubic")),
                () -> TestVolumes.ct(13, 11, 7, new double[] {0.8, 1.1, 2.5}, TestVolumes.IDENTITY, 14)));
        cases.add(new Case("cubic with anti-aliasing to a shape, RAS, mirror padding",
                TestPackages.softmax("same_c2", 2).set("targetSpacing", null).set("targetShape", List.of(5, 8, 9))
                        .set("resampling", Map.of("image", "cubic", "antialias", true)).set("orientation", "RAS")
                        .set("padding", Map.of("kind", "mirror")),
                () -> TestVolumes.ct(19, 17, 11, ISO, TestVolumes.IDENTITY, 15)));
        cases.add(new Case("nnunet, separate z from the source spacing (0.8 x 0.8 x 3.0 mm)",
                TestPackages.softmax("same_c4", 4).set("targetSpacing", List.of(2.0, 1.0, 1.0))
                        .set("resampling", Map.of("image", "nnunet")),
                () -> TestVolumes.ct(12, 11, 6, new double[] {0.8, 0.8, 3.0}, TestVolumes.IDENTITY, 16)));
        cases.add(new Case("nnunet, separate z from the target spacing, LPS from a flipped source, mr-zscore",
                TestPackages.softmax("same_c2", 2).set("targetSpacing", List.of(4.0, 1.0, 1.0)).set("orientation", "LPS")
                        .set("resampling", Map.of("image", "nnunet"))
                        .set("normalization", Map.of("kind", "mr-zscore", "foregroundThreshold", -500)),
                () -> TestVolumes.ct(9, 10, 13, new double[] {1.2, 1.2, 1.1}, OrientationCodes.allAxisAlignedDirections().get(9), 17)));
        cases.add(new Case("nnunet, isotropic enough for one 3-D cubic resampling",
                TestPackages.softmax("valid_c3", 3).set("patchSize", List.of(10, 10, 10)).set("outputPatchSize", List.of(6, 6, 6))
                        .set("targetSpacing", List.of(1.2, 1.2, 1.2)).set("resampling", Map.of("image", "nnunet")),
                () -> TestVolumes.ct(11, 13, 9, new double[] {1.1, 0.9, 1.6}, TestVolumes.IDENTITY, 18)));
        cases.add(new Case("nnunet with anti-aliasing, separate z, targetShape",
                TestPackages.softmax("same_c2", 2).set("targetSpacing", null).set("targetShape", List.of(9, 6, 7))
                        .set("resampling", Map.of("image", "nnunet", "antialias", true)),
                () -> TestVolumes.ct(15, 13, 4, new double[] {0.7, 0.7, 3.0}, TestVolumes.IDENTITY, 19)));
        // model package version 2: input channels, label channels, ct-percentile-zscore, ensembles
        cases.add(new Case("two input channels (two CT windows), label channels with a background channel and value 200",
                TestPackages.softmax("in2_c4", 4).set("input", Map.of("name", "image", "channels", 2))
                        .set("normalization", List.of(Map.of("kind", "ct-window", "window", List.of(-150, 250)),
                                Map.of("kind", "ct-window", "window", List.of(10, 110))))
                        .set("labels", List.of(label(1, 1), label(200, 3))),
                () -> TestVolumes.ct(13, 11, 9, ISO, TestVolumes.IDENTITY, 21), 200));
        cases.add(new Case("two input channels: ct-percentile-zscore and MR z-score, mirroring y, mirror padding, resampled",
                TestPackages.softmax("in2_c4", 4).set("input", Map.of("name", "image", "channels", 2))
                        // threshold between integers: the engine resamples in float32, the reference in double, so a
                        // voxel interpolated to exactly an integer threshold could fall on either side of it
                        .set("normalization", List.of(PERCENTILE, Map.of("kind", "mr-zscore", "foregroundThreshold", 10.5)))
                        .set("mirrorAxes", List.of("y")).set("padding", Map.of("kind", "mirror")).set("batchSize", 3)
                        .set("targetSpacing", List.of(1.5, 1.0, 1.0)),
                () -> TestVolumes.ct(9, 8, 5, new double[] {1.0, 1.0, 2.0}, TestVolumes.IDENTITY, 22)));
        cases.add(new Case("ensemble of 3, batch 5 split at z-rows of 12 items, mirroring x, ct-percentile-zscore",
                TestPackages.softmax("same_c2", 2).ensemble("same_c2_fold1", "same_c2_fold2").set("batchSize", 5)
                        .set("mirrorAxes", List.of("x")).set("normalization", PERCENTILE),
                () -> TestVolumes.ct(13, 11, 9, ISO, TestVolumes.IDENTITY, 23)));
        cases.add(new Case("ensemble of 2 valid-convolution members, mirroring over all axes, batch 4",
                TestPackages.softmax("valid_c3", 3).ensemble("valid_c3_fold1").set("patchSize", List.of(10, 10, 10))
                        .set("outputPatchSize", List.of(6, 6, 6)).set("mirrorAxes", List.of("x", "y", "z")).set("batchSize", 4),
                () -> TestVolumes.ct(9, 8, 10, ISO, TestVolumes.IDENTITY, 24)));
        cases.add(new Case("ensemble of 2 two-channel members, one normalisation for both channels, label channels",
                TestPackages.softmax("in2_c4", 4).ensemble("in2_c4_fold1").set("input", Map.of("name", "image", "channels", 2))
                        .set("normalization", Map.of("kind", "ct-zscore", "clip", List.of(-1000, 1000), "mean", 30, "std", 100))
                        .set("labels", List.of(label(3, 2), label(130, 1))).set("batchSize", 2),
                () -> TestVolumes.ct(12, 10, 11, ISO, TestVolumes.IDENTITY, 25), 130));
        cases.add(new Case("sigmoid ensemble of 2, only channel 1 a segment (value 255)",
                TestPackages.sigmoid("sigmoid_c2", 2).ensemble("sigmoid_c2_fold1").set("labels", List.of(label(255, 1))),
                () -> TestVolumes.ct(12, 10, 9, ISO, TestVolumes.IDENTITY, 26), 255));
        // every orientation of the source: 6 axis permutations x 8 flips of the direction matrix, model in LPS
        for (double[] direction : OrientationCodes.allAxisAlignedDirections())
            cases.add(new Case("source direction " + java.util.Arrays.toString(direction),
                    TestPackages.softmax("same_c2", 2).set("orientation", "LPS").set("patchSize", List.of(6, 6, 6))
                            .set("targetSpacing", List.of(1.0, 1.0, 1.0)),
                    () -> TestVolumes.ct(9, 7, 5, new double[] {0.9, 1.3, 1.6}, direction, 10)));
        // every target code, from one slightly oblique source
        for (String code : OrientationCodes.allCodes())
            cases.add(new Case("target orientation " + code,
                    TestPackages.softmax("same_c2", 2).set("orientation", code).set("patchSize", List.of(6, 6, 6)),
                    () -> TestVolumes.ct(8, 7, 6, ISO, OrientationCodes.OBLIQUE, 11)));
        return cases.stream().map(Arguments::of);
    }

    static final Map<String, Object> PERCENTILE = Map.of("kind", "ct-percentile-zscore",
            "percentile_00_5", -90.0, "percentile_99_5", 180.0, "mean", 40.0, "std", 70.0);

    static Map<String, Object> label(int value, int channel) {
        return Map.of("value", value, "name", "Structure " + value, "channel", channel,
                "category", Map.of("code", "123037004", "scheme", "SCT", "meaning", "Anatomical Structure"),
                "type", Map.of("code", "10200004", "scheme", "SCT", "meaning", "Liver"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void probabilitiesAndLabelsMatchTheReference(Case c) throws Exception {
        ModelPackage p = c.spec().load(dir.resolve("model"));
        Volume volume = c.volume().get();
        List<TinyConvNet> members = new ArrayList<>();
        for (String model : c.spec().members) members.add(TinyConvNet.load(model));
        ReferencePipeline.Result expected = new ReferencePipeline(p.manifest(), members).run(volume);

        int[] progress = {0, 0};
        SegmentationResult actual;
        try (Segmenter segmenter = Segmenter.open(p, RuntimeOptions.cpu(2))) {
            ProgressListener listener = (done, total) -> {
                assertThat(done).isEqualTo(progress[0] + 1);
                progress[0] = done;
                progress[1] = total;
            };
            actual = segmenter.segment(volume, new SegmentOptions(false, true), listener);
        }

        assertThat(actual.modelGridSize()).containsExactly(expected.modelSize());
        assertThat(progress[0]).isEqualTo(progress[1]).isEqualTo(actual.windows());
        double worst = 0;
        for (int ch = 0; ch < expected.probabilities().length; ch++)
            for (int v = 0; v < expected.probabilities()[ch].length; v++)
                worst = Math.max(worst, Math.abs(actual.probabilities()[ch][v] - expected.probabilities()[ch][v]));
        assertThat(worst).as("largest probability difference").isLessThan(1e-4);

        byte[] labels = actual.labels().labels();
        assertThat(labels).hasSize(expected.sourceLabels().length);
        int differ = 0, labelled = 0;
        for (int i = 0; i < labels.length; i++) {
            if ((labels[i] & 0xFF) != expected.sourceLabels()[i]) differ++;
            if (expected.sourceLabels()[i] != 0) labelled++;
        }
        assertThat(differ).as("source-grid voxels whose label differs from the reference").isZero();
        assertThat(labelled).as("the case must exercise foreground labels").isPositive().isLessThan(labels.length);
        if (c.mustLabel() > 0)
            assertThat(java.util.stream.IntStream.of(expected.sourceLabels())).as("label value " + c.mustLabel() + " must occur")
                    .contains(c.mustLabel());
    }
}
