package org.seggateway.inference;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
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
import org.seggateway.dicomio.synthetic.PhantomVolume;
import org.seggateway.dicomio.volume.Volume;
import org.seggateway.inference.model.ModelPackage;
import org.seggateway.inference.preprocess.AxisMapping;
import org.seggateway.inference.runtime.RuntimeOptions;
import org.seggateway.inference.torch.TorchSlidingWindow;

/**
 * The Java engine (ONNX Runtime) and the project's PyTorch script (Debian python3-torch, the package's
 * PyTorch weights) run the demo model over the same anisotropic phantom volume with the same tiling.
 * Both compute in float32 with different convolution kernels, so probabilities agree to
 * {@value #PROBABILITY_TOLERANCE}; a label may differ only where the two most probable classes are
 * within that tolerance (a tie), and such voxels must stay below {@value #TIE_FRACTION} of the volume.
 * Besides the package as it is, variants of its model.json cover the other resampling methods (the script
 * computes those with skimage/scipy, see nnunet_preprocess.py).
 */
class TorchCrossCheckTest {

    static final double PROBABILITY_TOLERANCE = 1e-3;
    static final double TIE_FRACTION = 1e-4;

    @TempDir
    Path work;

    /** A name, fields replaced in the demo package's model.json, the volume's x, y, z size and spacing. */
    record Variant(String name, Map<String, Object> fields, int[] size, double[] spacing) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Arguments> variants() {
        return Stream.of(
                new Variant("nnunet with separate z (0.8 x 0.8 x 3 mm)", Map.of("resampling", Map.of("image", "nnunet")),
                        new int[] {110, 100, 30}, new double[] {0.8, 0.8, 3.0}),
                new Variant("cubic with anti-aliasing to targetShape [32, 56, 64]", Map.of("targetSpacing", "remove",
                        "targetShape", List.of(32, 56, 64), "resampling", Map.of("image", "cubic", "antialias", true)),
                        new int[] {120, 100, 40}, new double[] {1.4, 1.4, 2.6}),
                new Variant("linear with anti-aliasing to targetShape [30, 48, 52]", Map.of("targetSpacing", "remove",
                        "targetShape", List.of(30, 48, 52), "resampling", Map.of("image", "linear", "antialias", true)),
                        new int[] {100, 90, 40}, new double[] {1.9, 1.9, 3.1})
        ).map(Arguments::of);
    }

    /** The demo package with another resampling (the script computes cubic and nnunet with skimage/scipy). */
    @ParameterizedTest(name = "{0}")
    @MethodSource("variants")
    void resamplingVariantsMatchPyTorch(Variant variant) throws Exception {
        Path dir = variantOf(ProjectFiles.demoModel(), variant.fields());
        int[] s = variant.size();
        Volume volume = PhantomVolume.ct(s[0], s[1], s[2], variant.spacing(), 10, 3);
        System.out.println(variant.name() + ":");
        byte[] labels = compare(dir, volume, work.resolve("variant"));
        int foreground = 0;
        for (byte b : labels) if (b != 0) foreground++;
        assertThat(foreground).as("the phantom's liver must be found").isGreaterThan(labels.length / 100);
    }

    @Test
    void labelsMatchPyTorch() throws Exception {
        // LPS-oriented (identity direction), so the script gets the voxels as they are; resampled to 2.5 mm
        Volume volume = PhantomVolume.ct(100, 90, 40, new double[] {1.9, 1.9, 3.1}, 10, 3);
        byte[] labels = compare(ProjectFiles.demoModel(), volume, work.resolve("demo"));
        int foreground = 0;
        for (byte b : labels) if (b != 0) foreground++;
        assertThat(foreground).as("the phantom's liver must be found").isGreaterThan(labels.length / 100);
    }

    /**
     * A version-2 package (make_unet_ensemble.py: random-weight U-Nets, two input channels from two CT
     * windows, one of them ct-percentile-zscore, an ensemble of two folds, label channels with value 150 and
     * a background channel, mirroring) through both implementations.
     */
    @Test
    void version2PackageMatchesPyTorch() throws Exception {
        Path dir = work.resolve("unet-ensemble");
        Path maker = ProjectFiles.root().resolve("inference/src/test/python/make_unet_ensemble.py");
        Process make = new ProcessBuilder(python(), maker.toString(), dir.toString()).redirectErrorStream(true)
                .redirectOutput(work.resolve("make.log").toFile()).start();
        assertThat(make.waitFor()).as("make_unet_ensemble.py: " + java.nio.file.Files.readString(work.resolve("make.log"))).isZero();
        assertThat(ModelPackage.load(dir).manifest().ensembleSize()).isEqualTo(2);
        Volume volume = PhantomVolume.ct(60, 50, 24, new double[] {1.9, 1.9, 3.1}, 10, 5);
        byte[] labels = compare(dir, volume, work.resolve("v2"));
        java.util.Set<Integer> values = new java.util.TreeSet<>();
        for (byte b : labels) values.add(b & 0xFF);
        assertThat(values).as("label values found").isSubsetOf(0, 1, 150).contains(150);
    }

    private static String python() {
        return java.nio.file.Files.isExecutable(Path.of("/usr/bin/python3")) ? "/usr/bin/python3" : "python3";
    }

    /** Runs both implementations on the volume and checks probabilities and labels; returns the engine's labels. */
    static byte[] compare(Path dir, Volume volume, Path work) throws Exception {
        Path script = ProjectFiles.torchScript();
        ModelPackage p = ModelPackage.load(dir);
        assertThat(AxisMapping.toOrientation(volume.geometry().direction(), "LPS")).isEqualTo(AxisMapping.identity());
        int depth = volume.geometry().depth(), height = volume.geometry().height(), width = volume.geometry().width();

        SegmentationResult java;
        try (Segmenter segmenter = Segmenter.open(p, RuntimeOptions.cpu(2))) {
            java = segmenter.segment(volume, new SegmentOptions(false, true), (d, t) -> { });
        }
        int[] size = new int[3];
        float[] voxels = TorchSlidingWindow.modelOriented(volume, AxisMapping.identity(), size);
        TorchSlidingWindow.Result torch = new TorchSlidingWindow(script)
                .run(dir, voxels, size, volume.geometry().spacing(), 2, work, true);

        int[] m = java.modelGridSize();
        assertThat(torch.probabilityShape()).containsExactly(p.manifest().channels(), m[2], m[1], m[0]);
        assertThat(torch.shapeZyx()).containsExactly(depth, height, width);
        int channels = p.manifest().channels(), n = m[0] * m[1] * m[2];
        double worst = 0;
        for (int c = 0; c < channels; c++)
            for (int v = 0; v < n; v++)
                worst = Math.max(worst, Math.abs(java.probabilities()[c][v] - torch.probabilities()[c * n + v]));
        assertThat(worst).as("largest probability difference ONNX Runtime vs PyTorch").isLessThan(PROBABILITY_TOLERANCE);

        // model-grid labels from the probabilities: which differ, and are they ties?
        byte[] labels = java.labels().labels(), torchLabels = torch.labels();
        int differ = 0, foreground = 0;
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] != 0) foreground++;
            if (labels[i] != torchLabels[i]) differ++;
        }
        int ties = 0, untiedDifferences = 0;
        for (int v = 0; v < n; v++) {
            int a = argmax(java.probabilities(), v), b = argmaxFlat(torch.probabilities(), channels, n, v);
            if (a == b) continue;
            ties++;
            if (Math.abs(java.probabilities()[a][v] - java.probabilities()[b][v]) >= PROBABILITY_TOLERANCE) untiedDifferences++;
        }
        System.out.printf("ORT vs PyTorch: max |dp| %.2e, model-grid label differences %d (all ties: %s), source-grid %d of %d, foreground %d%n",
                worst, ties, untiedDifferences == 0, differ, labels.length, foreground);
        assertThat(untiedDifferences).as("model-grid voxels whose labels differ without a tie").isZero();
        assertThat((double) differ / labels.length).as("fraction of source-grid labels that differ").isLessThanOrEqualTo(TIE_FRACTION);
        return labels;
    }

    /** A copy of the package with some model.json fields replaced ("remove" removes one). */
    private Path variantOf(Path source, Map<String, Object> fields) throws Exception {
        Path dir = work.resolve("package");
        Files.createDirectories(dir);
        try (var files = Files.list(source)) {
            for (Path f : (Iterable<Path>) files::iterator) Files.copy(f, dir.resolve(f.getFileName()));
        }
        ObjectMapper json = new ObjectMapper();
        ObjectNode manifest = (ObjectNode) json.readTree(dir.resolve("model.json").toFile());
        fields.forEach((k, v) -> {
            if ("remove".equals(v)) manifest.remove(k);
            else manifest.set(k, json.valueToTree(v));
        });
        json.writerWithDefaultPrettyPrinter().writeValue(dir.resolve("model.json").toFile(), manifest);
        return dir;
    }

    private static int argmax(float[][] p, int v) {
        int best = 0;
        for (int c = 1; c < p.length; c++) if (p[c][v] > p[best][v]) best = c;
        return best;
    }

    private static int argmaxFlat(float[] p, int channels, int n, int v) {
        int best = 0;
        for (int c = 1; c < channels; c++) if (p[c * n + v] > p[best * n + v]) best = c;
        return best;
    }
}
