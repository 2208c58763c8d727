package org.seggateway.cli;

import static org.assertj.core.api.Assertions.assertThat;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.seggateway.dicomio.seg.Code;
import org.seggateway.inference.imports.ManifestSkeleton;
import org.seggateway.inference.imports.NnunetImporter;
import org.seggateway.inference.model.ImageResampling;
import org.seggateway.inference.model.ModelManifest;
import org.seggateway.inference.model.ModelPackage;
import org.seggateway.inference.model.Normalization;
import org.seggateway.inference.model.OutputKind;
import org.seggateway.inference.torch.Npy;

/**
 * {@code model import-nnunet} on nnU-Net-format folders that {@code inference/python/make_nnunet_folder.py} writes
 * (random weights, both network classes), and {@code model import-onnx} on what it exported. The ONNX files run in
 * ONNX Runtime (as the engine runs them) and must give what the PyTorch network gave on the same input.
 */
class ModelImportCommandsTest {

    private static final Code ANATOMY = new Code("123037004", "SCT", "Anatomical Structure");

    @TempDir
    Path tmp;

    @Test
    void plainConvUNetImportsWithTwoFoldsThatMatchPyTorch() throws Exception {
        Path folder = makeFolder("small-plain");
        Path pkg = tmp.resolve("pkg"), ref = tmp.resolve("ref");
        CliRun run = CliRun.run("model", "import-nnunet", folder.toString(), "--out", pkg.toString(), "--folds", "0,1",
                "--reference-out", ref.toString());
        assertThat(run.status()).as(run.err()).isZero();
        assertThat(run.out()).contains("\"labels\":3");

        ModelManifest m = ModelPackage.load(pkg).manifest();
        assertThat(m.onnxFiles()).containsExactly("fold_0.onnx", "fold_1.onnx");
        assertThat(m.inputChannels()).isEqualTo(1);
        assertThat(m.outputChannels()).isEqualTo(4);
        assertThat(m.outputKind()).isEqualTo(OutputKind.SOFTMAX);
        // plans: patch [8, 16, 24] and spacing [3.0, 0.8, 0.8] in z, y, x (transpose_forward identity); Shape3 is x, y, z
        assertThat(List.of(m.patchSize().x(), m.patchSize().y(), m.patchSize().z())).containsExactly(24, 16, 8);
        assertThat(m.targetSpacing()).containsExactly(0.8, 0.8, 3.0);
        assertThat(m.resampling()).isEqualTo(new ImageResampling(ImageResampling.Interpolation.NNUNET, false));
        assertThat(m.normalizations()).containsExactly(new Normalization.CtPercentileZScore(-980.0, 1450.0, 80.5, 170.25));
        assertThat(m.mirrorAxes()).containsExactly(true, true, true);
        assertThat(m.overlap()).isEqualTo(0.5);
        assertThat(m.orientation()).isEqualTo("RAS");
        assertThat(m.labels()).extracting(l -> l.name()).containsExactly("liver", "spleen", "kidney_left");
        assertThat(m.labels().get(0).type()).isEqualTo(new Code("10200004", "SCT", "Liver"));
        assertThat(m.labels().get(1).type()).isEqualTo(new Code("78961009", "SCT", "Spleen"));
        assertThat(m.labels().get(2).type()).isEqualTo(new Code("64033007", "SCT", "Kidney"));
        assertThat(m.labels()).allSatisfy(l -> assertThat(l.category()).isEqualTo(ANATOMY));
        assertThat(m.flopsPerWindow()).isPositive();

        assertOnnxMatchesTorch(pkg.resolve("fold_0.onnx"), ref.resolve("input.npy"), ref.resolve("fold_0.npy"));
        assertOnnxMatchesTorch(pkg.resolve("fold_1.onnx"), ref.resolve("input.npy"), ref.resolve("fold_1.npy"));
        // two folds with different random weights: the ensemble is not one network twice
        assertThat(Npy.read(ref.resolve("fold_0.npy")).float32()).isNotEqualTo(Npy.read(ref.resolve("fold_1.npy")).float32());
    }

    @Test
    void residualEncoderUNetWithTransposedAxesImports() throws Exception {
        Path folder = makeFolder("small-resenc");
        Path pkg = tmp.resolve("pkg"), ref = tmp.resolve("ref");
        CliRun run = CliRun.run("model", "import-nnunet", folder.toString(), "--out", pkg.toString(), "--folds", "0",
                "--name", "resenc", "--model-version", "2.0.0", "--reference-out", ref.toString());
        assertThat(run.status()).as(run.err()).isZero();

        ModelManifest m = ModelPackage.load(pkg).manifest();
        assertThat(m.name()).isEqualTo("resenc");
        assertThat(m.version()).isEqualTo("2.0.0");
        assertThat(m.onnxFiles()).containsExactly("fold_0.onnx");
        assertThat(m.inputChannels()).isEqualTo(1);
        // the ignore label is no output channel
        assertThat(m.outputChannels()).isEqualTo(3);
        // network axes = (x, z, y) of the image (transpose_forward [2, 0, 1]): patch [8, 16, 24] -> z 16, y 24, x 8
        assertThat(List.of(m.patchSize().x(), m.patchSize().y(), m.patchSize().z())).containsExactly(8, 24, 16);
        // spacing [1.5, 1.0, 2.0] -> x 1.5, z 1.0, y 2.0
        assertThat(m.targetSpacing()).containsExactly(1.5, 2.0, 1.0);
        assertThat(m.normalizations()).containsExactly(new Normalization.CtPercentileZScore(-980.0, 1450.0, 80.5, 170.25));
        assertThat(m.labels()).extracting(l -> l.type().value()).containsExactly("10200004", "15825003");

        assertOnnxMatchesTorch(pkg.resolve("fold_0.onnx"), ref.resolve("input.npy"), ref.resolve("fold_0.npy"));
    }

    @Test
    void plansInTheFirstV2FormatImportToo() throws Exception {
        Path folder = makeFolder("small-plain", "--first-plans-format");
        assertThat(Files.readString(folder.resolve("plans.json"))).contains("UNet_class_name").doesNotContain("\"architecture\"");
        Path pkg = tmp.resolve("pkg"), ref = tmp.resolve("ref");
        CliRun run = CliRun.run("model", "import-nnunet", folder.toString(), "--out", pkg.toString(), "--folds", "0",
                "--reference-out", ref.toString());
        assertThat(run.status()).as(run.err()).isZero();
        assertThat(ModelPackage.load(pkg).manifest().outputChannels()).isEqualTo(4);
        assertOnnxMatchesTorch(pkg.resolve("fold_0.onnx"), ref.resolve("input.npy"), ref.resolve("fold_0.npy"));
    }

    @Test
    void missingFilesAndUnsupportedDatasetsAreClearErrors() throws Exception {
        Path folder = makeFolder("small-plain");
        Path pkg = tmp.resolve("pkg");

        CliRun noFold = CliRun.run("model", "import-nnunet", folder.toString(), "--out", pkg.toString(), "--folds", "0,7");
        assertThat(noFold.status()).isEqualTo(2);
        assertThat(noFold.err()).contains("fold_7").contains("checkpoint_final.pth").contains("missing")
                .contains("fold_0, fold_1");

        ObjectMapper json = new ObjectMapper();
        ObjectNode dataset = (ObjectNode) json.readTree(folder.resolve("dataset.json").toFile());
        ((ObjectNode) dataset.get("labels")).put("flux_capacitor", 4);
        json.writeValue(folder.resolve("dataset.json").toFile(), dataset);
        CliRun unknown = CliRun.run("model", "import-nnunet", folder.toString(), "--out", pkg.toString(), "--folds", "0");
        assertThat(unknown.status()).isEqualTo(2);
        assertThat(unknown.err()).contains("flux_capacitor").contains("segment-codes.csv").contains("--segment-codes");

        ((ObjectNode) dataset.get("labels")).remove("flux_capacitor");
        ((ObjectNode) dataset.get("channel_names")).put("1", "PET");
        json.writeValue(folder.resolve("dataset.json").toFile(), dataset);
        CliRun twoImages = CliRun.run("model", "import-nnunet", folder.toString(), "--out", pkg.toString(), "--folds", "0");
        assertThat(twoImages.status()).isEqualTo(2);
        assertThat(twoImages.err()).contains("dataset.json").contains("2 input images (CT, PET)").contains("single-input");

        ((ObjectNode) dataset.get("channel_names")).remove("1");
        ((ObjectNode) dataset.get("labels")).putArray("whole").add(1).add(2);
        json.writeValue(folder.resolve("dataset.json").toFile(), dataset);
        CliRun regions = CliRun.run("model", "import-nnunet", folder.toString(), "--out", pkg.toString(), "--folds", "0");
        assertThat(regions.status()).isEqualTo(2);
        assertThat(regions.err()).contains("dataset.json").contains("region-based");

        Files.delete(folder.resolve("plans.json"));
        CliRun noPlans = CliRun.run("model", "import-nnunet", folder.toString(), "--out", pkg.toString());
        assertThat(noPlans.status()).isEqualTo(2);
        assertThat(noPlans.err()).contains("plans.json").contains("missing");
    }

    @Test
    void segmentCodesFileDescribesNamesTheTableLacks() throws Exception {
        Path folder = makeFolder("small-plain");
        ObjectMapper json = new ObjectMapper();
        ObjectNode dataset = (ObjectNode) json.readTree(folder.resolve("dataset.json").toFile());
        ObjectNode labels = json.createObjectNode().put("background", 0).put("liver", 1).put("spleen", 2).put("Hepatic lesion", 3);
        dataset.set("labels", labels);
        json.writeValue(folder.resolve("dataset.json").toFile(), dataset);
        Path codes = tmp.resolve("codes.json");
        Files.writeString(codes, """
                {"hepatic lesion": {"category": {"code": "49755003", "scheme": "SCT", "meaning": "Morphologically Altered Structure"},
                                    "type": {"code": "4147007", "scheme": "SCT", "meaning": "Mass"}}}""");
        Path pkg = tmp.resolve("pkg");
        CliRun run = CliRun.run("model", "import-nnunet", folder.toString(), "--out", pkg.toString(), "--folds", "0",
                "--segment-codes", codes.toString());
        assertThat(run.status()).as(run.err()).isZero();
        ModelManifest m = ModelPackage.load(pkg).manifest();
        assertThat(m.labels().get(2).name()).isEqualTo("Hepatic lesion");
        assertThat(m.labels().get(2).type()).isEqualTo(new Code("4147007", "SCT", "Mass"));
    }

    @Test
    void importOnnxWritesASkeletonTheReaderRefusesUntilFilled() throws Exception {
        Path folder = makeFolder("small-plain");
        Path nnunetPkg = tmp.resolve("nnunet");
        assertThat(CliRun.run("model", "import-nnunet", folder.toString(), "--out", nnunetPkg.toString(), "--folds", "0").status()).isZero();

        Path pkg = tmp.resolve("skeleton");
        CliRun run = CliRun.run("model", "import-onnx", nnunetPkg.resolve("fold_0.onnx").toString(), "--out", pkg.toString());
        assertThat(run.status()).as(run.err()).isZero();
        JsonNode report = new ObjectMapper().readTree(run.out());
        assertThat(report.at("/opsets/ai.onnx").asInt()).isEqualTo(17);
        assertThat(report.at("/irVersion").asInt()).isPositive();
        assertThat(report.at("/inputs/0/name").asText()).isEqualTo("image");
        // the importer exports batch and spatial axes dynamic
        assertThat(report.at("/inputs/0/shape").toString()).isEqualTo("[\"batch\",1,\"z\",\"y\",\"x\"]");
        assertThat(report.at("/outputs/0/shape").toString()).isEqualTo("[\"batch\",4,\"z\",\"y\",\"x\"]");
        assertThat(report.get("toFill").toString())
                .contains("patchSize", "targetSpacing", "orientation", "normalization", "output.kind", "labels[0].name");
        assertThat(Files.exists(pkg.resolve("fold_0.onnx"))).isTrue();

        String text = Files.readString(pkg.resolve("model.json"));
        assertThat(text).contains(ManifestSkeleton.FILL);
        assertThat(org.assertj.core.api.Assertions.catchThrowable(() -> ModelPackage.load(pkg))).hasMessageContaining("model.json");

        // filling every marked field makes it a package
        ObjectMapper json = new ObjectMapper();
        ObjectNode m = (ObjectNode) json.readTree(text);
        m.putArray("patchSize").add(8).add(16).add(24);
        m.putArray("targetSpacing").add(3.0).add(0.8).add(0.8);
        m.put("orientation", "LPS");
        m.putObject("normalization").put("kind", "ct-window").putArray("window").add(-100).add(200);
        ((ObjectNode) m.get("output")).put("kind", "softmax");
        String[] names = {"liver", "spleen", "kidney_right"};
        for (int i = 0; i < 3; i++) ((ObjectNode) m.get("labels").get(i)).put("name", names[i]);
        json.writeValue(pkg.resolve("model.json").toFile(), m);
        ModelManifest filled = ModelPackage.load(pkg).manifest();
        assertThat(filled.labels()).extracting(l -> l.type().value()).containsExactly("10200004", "78961009", "64033007");
        assertThat(CliRun.run("model", "import-onnx", nnunetPkg.resolve("fold_0.onnx").toString(), "--out", pkg.toString()).err())
                .contains("exists");
    }

    @Test
    void importOnnxTakesAStaticPatchSizeFromTheFile() throws Exception {
        Path demo = ProjectHome.get().resolve("models/demo-abdomen-unet/model.onnx");
        Path pkg = tmp.resolve("demo");
        CliRun run = CliRun.run("model", "import-onnx", demo.toString(), "--out", pkg.toString(), "--name", "demo");
        assertThat(run.status()).as(run.err()).isZero();
        JsonNode report = new ObjectMapper().readTree(run.out());
        assertThat(report.at("/inputs/0/shape").toString()).isEqualTo("[\"batch\",1,32,64,64]");
        assertThat(report.get("toFill").toString()).doesNotContain("patchSize").contains("labels[1].name");
        JsonNode m = new ObjectMapper().readTree(pkg.resolve("model.json").toFile());
        assertThat(m.get("patchSize").toString()).isEqualTo("[32,64,64]");
        assertThat(m.at("/input/channels").asInt()).isEqualTo(1);
        assertThat(m.at("/output/channels").asInt()).isEqualTo(3);
        assertThat(m.get("labels")).hasSize(2);
        assertThat(m.at("/output/kind").asText()).startsWith(ManifestSkeleton.FILL);
        assertThat(org.assertj.core.api.Assertions.catchThrowable(() -> ModelPackage.load(pkg))).isNotNull();
    }

    /** Runs the ONNX file in ONNX Runtime on the reference input and compares with PyTorch's output. */
    private static void assertOnnxMatchesTorch(Path onnx, Path inputNpy, Path expectedNpy) throws Exception {
        Npy.Array input = Npy.read(inputNpy), expected = Npy.read(expectedNpy);
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession.SessionOptions o = new OrtSession.SessionOptions()) {
            o.setIntraOpNumThreads(1);
            try (OrtSession s = env.createSession(onnx.toString(), o);
                 OnnxTensor t = OnnxTensor.createTensor(env, FloatBuffer.wrap(input.float32()),
                         Arrays.stream(input.shape()).asLongStream().toArray());
                 OrtSession.Result r = s.run(Map.of("image", t))) {
                OnnxTensor out = (OnnxTensor) r.get(0);
                assertThat(out.getInfo().getShape()).containsExactly(Arrays.stream(expected.shape()).asLongStream().toArray());
                FloatBuffer got = out.getFloatBuffer();
                float[] want = expected.float32();
                double worst = 0, scale = 0;
                for (int i = 0; i < want.length; i++) {
                    worst = Math.max(worst, Math.abs(got.get(i) - want[i]));
                    scale = Math.max(scale, Math.abs(want[i]));
                }
                assertThat(scale).as("logits are not all zero").isGreaterThan(1e-3);
                assertThat(worst).as(onnx + ": largest |ONNX Runtime - PyTorch|").isLessThanOrEqualTo(1e-4);
            }
        }
    }

    private Path makeFolder(String preset, String... options) throws IOException, InterruptedException {
        Path script = ProjectHome.get().resolve("inference/python/make_nnunet_folder.py");
        Path log = tmp.resolve(preset + ".log");
        List<String> cmd = new java.util.ArrayList<>(List.of(NnunetImporter.pythonExecutable(), script.toString(), "--preset", preset,
                "--out", tmp.resolve("nnunet").toString()));
        cmd.addAll(List.of(options));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        assertThat(p.waitFor(5, TimeUnit.MINUTES)).isTrue();
        List<String> lines = Files.readAllLines(log);
        assertThat(p.exitValue()).as(String.join("\n", lines)).isZero();
        return Path.of(lines.getLast());
    }
}
