package org.seggateway.inference;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.seggateway.dicomio.synthetic.PhantomVolume;
import org.seggateway.dicomio.volume.Volume;
import org.seggateway.inference.model.ModelPackage;
import org.seggateway.inference.preprocess.AxisMapping;
import org.seggateway.inference.preprocess.PreparedVolume;
import org.seggateway.inference.preprocess.Preprocessor;
import org.seggateway.inference.torch.Npy;
import org.seggateway.inference.torch.TorchSlidingWindow;

/**
 * The engine's prepared model grid under {@code "resampling": {"image": "nnunet"}} (and {@code cubic}) against
 * inference/python/nnunet_preprocess.py, which follows nnU-Net v2's rules with skimage's resize and scipy's
 * map_coordinates (Debian python3-skimage, python3-scipy). Both normalise in float32 and interpolate in
 * double; the engine stores float32 between its per-axis passes. Every voxel must agree within
 * {@value #TOLERANCE} x max(1, |expected|) (the normalised values are of order 1).
 */
class NnunetPreprocessingTest {

    static final double TOLERANCE = 1e-4;

    @TempDir
    Path dir;

    record Case(String name, TestPackages.Spec spec, Supplier<Volume> volume) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Arguments> cases() {
        Map<String, Object> nnunet = Map.of("image", "nnunet");
        Map<String, Object> ctPercentiles = Map.of("kind", "ct-percentile-zscore", "percentile_00_5", -980.0,
                "percentile_99_5", 420.0, "mean", 35.5, "std", 160.25);
        List<Case> cases = new ArrayList<>();
        cases.add(new Case("separate z from the source spacing (0.75 x 0.75 x 4 mm), phantom, percentile z-score",
                TestPackages.softmax("same_c2", 2).set("targetSpacing", List.of(1.5, 1.2, 1.2)).set("resampling", nnunet)
                        .set("normalization", ctPercentiles),
                () -> PhantomVolume.ct(60, 56, 12, new double[] {0.75, 0.75, 4.0}, 20, 1)));
        cases.add(new Case("separate z, downsampled in-plane, the demo model's normalisation",
                TestPackages.softmax("same_c2", 2).set("targetSpacing", List.of(2.5, 2.5, 2.5)).set("resampling", nnunet)
                        .set("normalization", Map.of("kind", "ct-zscore", "clip", List.of(-200, 300), "mean", 60.0, "std", 90.0)),
                () -> PhantomVolume.ct(110, 100, 30, new double[] {0.8, 0.8, 3.0}, 10, 3)));
        cases.add(new Case("separate z from the target spacing, downsampled z",
                TestPackages.softmax("same_c2", 2).set("targetSpacing", List.of(3.5, 1.0, 1.0)).set("resampling", nnunet),
                () -> TestVolumes.ct(20, 18, 16, new double[] {1, 1, 1}, TestVolumes.IDENTITY, 2)));
        cases.add(new Case("one 3-D cubic resampling (spacing not anisotropic)",
                TestPackages.softmax("same_c2", 2).set("targetSpacing", List.of(1.2, 1.2, 1.2)).set("resampling", nnunet),
                () -> TestVolumes.ct(17, 19, 13, new double[] {1.1, 0.9, 1.6}, TestVolumes.IDENTITY, 3)));
        cases.add(new Case("separate z, targetShape, anti-aliasing, mr-zscore",
                TestPackages.softmax("same_c2", 2).set("targetSpacing", null).set("targetShape", List.of(5, 12, 14))
                        .set("resampling", Map.of("image", "nnunet", "antialias", true))
                        .set("normalization", Map.of("kind", "mr-zscore", "foregroundThreshold", -500)),
                () -> TestVolumes.ct(30, 28, 9, new double[] {0.7, 0.7, 3.0}, TestVolumes.IDENTITY, 4)));
        cases.add(new Case("cubic with anti-aliasing to a shape, ct-window",
                TestPackages.softmax("same_c2", 2).set("targetSpacing", null).set("targetShape", List.of(9, 11, 13))
                        .set("resampling", Map.of("image", "cubic", "antialias", true))
                        .set("normalization", Map.of("kind", "ct-window", "window", List.of(-150, 250))),
                () -> PhantomVolume.ct(25, 22, 17, new double[] {1, 1, 1}, 20, 5)));
        cases.add(new Case("cubic to a spacing, upsampled",
                TestPackages.softmax("same_c2", 2).set("targetSpacing", List.of(0.8, 0.6, 0.7))
                        .set("resampling", Map.of("image", "cubic")),
                () -> TestVolumes.ct(12, 10, 8, new double[] {1.1, 0.9, 1.3}, TestVolumes.IDENTITY, 6)));
        return cases.stream().map(Arguments::of);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void engineModelGridMatchesThePythonReimplementation(Case c) throws Exception {
        ModelPackage p = c.spec().load(dir.resolve("model"));
        Volume volume = c.volume().get();
        PreparedVolume prepared = Preprocessor.prepare(volume, p.manifest());
        int[] m = prepared.modelSize();

        int[] size = new int[3];
        float[] voxels = TorchSlidingWindow.modelOriented(volume, AxisMapping.identity(), size);
        Npy.Array expected = runScript(dir.resolve("model"), voxels, size, volume.geometry().spacing());
        assertThat(expected.shape()).as("model grid shape [z, y, x]").containsExactly(m[2], m[1], m[0]);

        double worst = 0, largest = 0;
        int nx = prepared.dataSize(0), ny = prepared.dataSize(1);
        for (int z = 0; z < m[2]; z++)
            for (int y = 0; y < m[1]; y++)
                for (int x = 0; x < m[0]; x++) {
                    int d = ((z + prepared.padBefore()[2] + prepared.margin()[2]) * ny + y + prepared.padBefore()[1]
                            + prepared.margin()[1]) * nx + x + prepared.padBefore()[0] + prepared.margin()[0];
                    double e = expected.float32()[(z * m[1] + y) * m[0] + x];
                    // the grid holds input units; channel 0's transform (identity under nnunet) normalises it
                    double a = prepared.channels().get(0).apply(prepared.data()[d]);
                    worst = Math.max(worst, Math.abs(a - e) / Math.max(1, Math.abs(e)));
                    largest = Math.max(largest, Math.abs(e));
                }
        System.out.printf("%s: model grid %dx%dx%d, largest |value| %.3f, worst relative difference %.2e%n", c.name(),
                m[0], m[1], m[2], largest, worst);
        assertThat(largest).as("a non-trivial image").isGreaterThan(0.5);
        assertThat(worst).as("largest difference, relative to max(1, |expected|)").isLessThanOrEqualTo(TOLERANCE);
    }

    private Npy.Array runScript(Path model, float[] voxels, int[] size, double[] spacing) throws Exception {
        Path script = ProjectFiles.root().resolve("inference/python/nnunet_preprocess.py");
        Path in = dir.resolve("volume.npy"), out = dir.resolve("grid.npy"), log = dir.resolve("script.log");
        Npy.writeFloat32(in, voxels, size[2], size[1], size[0]);
        List<String> cmd = List.of(System.getProperty("seggateway.python", "/usr/bin/python3"), script.toString(),
                "--model", model.toString(), "--input", in.toString(), "--spacing", Double.toString(spacing[2]),
                Double.toString(spacing[1]), Double.toString(spacing[0]), "--out", out.toString());
        Process process = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        assertThat(process.waitFor(5, TimeUnit.MINUTES)).as("script finished").isTrue();
        assertThat(process.exitValue()).as("exit status of " + String.join(" ", cmd) + "\n" + Files.readString(log)).isZero();
        return Npy.read(out);
    }
}
