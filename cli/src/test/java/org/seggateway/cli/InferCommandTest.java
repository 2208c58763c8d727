package org.seggateway.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.seggateway.cli.CliRun.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.seggateway.dicomio.synthetic.Phantom;
import org.seggateway.dicomio.synthetic.PhantomVolume;
import org.seggateway.dicomio.synthetic.SyntheticSeries;
import org.seggateway.dicomio.testing.ExternalTools;
import org.seggateway.dicomio.volume.Volume;
import org.seggateway.dicomio.volume.VolumeReader;
import org.seggateway.inference.Dice;
import org.seggateway.inference.Segmenter;
import org.seggateway.inference.TestPackages;
import org.seggateway.inference.model.ModelPackage;
import org.seggateway.inference.runtime.RuntimeOptions;

/**
 * {@code seg-gateway infer} end to end: DICOM series in, SEG out, checked with dciodvfy and read back by
 * pydicom (dicom-io's seg_roundtrip.py), with a tiny test model and with the committed demo model.
 */
class InferCommandTest {
    @TempDir
    Path dir;

    @Test
    void segmentsASeriesAndWritesASegThatValidatesAndReadsBack() throws Exception {
        Path series = dir.resolve("ct");
        SyntheticSeries.ct().size(40, 48, 20).spacing(5, 5, 5).reverseFileOrder().write(series);
        Path model = TestPackages.softmax("same_c4", 4).set("name", "tiny-organs").set("version", "0.3.1").write(dir.resolve("model"));
        Path out = dir.resolve("seg.dcm"), labelsOut = dir.resolve("labels.raw");

        CliRun run = run("infer", "--model", model.toString(), "--series", series.toString(), "--out", out.toString(),
                "--labels-out", labelsOut.toString(), "--provider", "cpu", "--threads", "1");

        assertThat(run.status()).as(run.err()).isZero();
        System.out.print(run.out());
        assertThat(run.out()).contains("model tiny-organs 0.3.1 on CPU, 1 threads").contains("| preprocess")
                .contains("inference (network) |").contains("blending").contains("| postprocess").contains("| total |");
        List<String> progress = run.err().lines().filter(l -> l.matches("windows \\d+ / \\d+ \\(\\d+%\\)")).toList();
        assertThat(progress).as("progress lines on stderr: one per 10%% step, not one per window").hasSizeBetween(2, 11);
        assertThat(progress.getLast()).endsWith("(100%)");

        Volume volume = VolumeReader.readSingleSeries(series);
        byte[] labels = Files.readAllBytes(labelsOut);
        assertThat(labels).as("--labels-out equals the engine's label map").isEqualTo(segmentDirectly(model, volume));
        assertThat(distinctLabels(labels)).as("the tiny model labels something, so the SEG has frames").hasSizeGreaterThan(1);

        ExternalTools.assertDciodvfyHasNoError(out, "infer tiny model");
        assertPydicomRebuilds(out, series, labels);
        JsonNode seg = segmentSequence(out);
        assertThat(seg.get("seriesDescription").asText()).contains("tiny-organs 0.3.1");
        assertThat(seg.get("segments")).hasSize(3);
        for (int n = 0; n < 3; n++) {
            JsonNode s = seg.get("segments").get(n);
            assertThat(s.get("number").asInt()).isEqualTo(n + 1);
            assertThat(s.get("label").asText()).isEqualTo("Structure " + (n + 1));
            assertThat(s.get("algorithm").asText()).isEqualTo("tiny-organs");
            assertThat(s.get("version").asText()).isEqualTo("0.3.1");
            assertThat(s.get("category").asText()).isEqualTo("123037004");
            assertThat(s.get("type").asText()).isEqualTo("10200004");
        }
    }

    @Test
    void choosesAmongSeveralSeriesAndExplainsBadInput() throws Exception {
        Path both = dir.resolve("both");
        var ct = SyntheticSeries.ct().size(24, 20, 10).spacing(5, 5, 5).write(both.resolve("ct"));
        var mr = SyntheticSeries.mr().size(20, 16, 6).write(both.resolve("mr"));
        Path model = TestPackages.softmax("same_c2", 2).write(dir.resolve("model"));
        String[] base = {"infer", "--model", model.toString(), "--series", both.toString(), "--provider", "cpu", "--threads", "1"};

        CliRun ambiguous = run(concat(base, "--out", dir.resolve("a.dcm").toString()));
        assertThat(ambiguous.status()).isEqualTo(2);
        assertThat(ambiguous.err()).contains("2 image series").contains(ct.seriesInstanceUid()).contains(mr.seriesInstanceUid())
                .contains("--series-uid");
        assertThat(dir.resolve("a.dcm")).doesNotExist();

        CliRun chosen = run(concat(base, "--series-uid", mr.seriesInstanceUid(), "--out", dir.resolve("mr.dcm").toString()));
        assertThat(chosen.status()).as(chosen.err()).isZero();
        assertThat(chosen.out()).contains("series " + mr.seriesInstanceUid());
        ExternalTools.assertDciodvfyHasNoError(dir.resolve("mr.dcm"), "infer MR");

        CliRun unknown = run(concat(base, "--series-uid", "1.2.3", "--out", dir.resolve("b.dcm").toString()));
        assertThat(unknown.status()).isEqualTo(2);
        assertThat(unknown.err()).contains("series 1.2.3 is not in").contains(ct.seriesInstanceUid());

        CliRun nrrd = run(concat(base, "--series-uid", ct.seriesInstanceUid(), "--out", dir.resolve("c.dcm").toString(),
                "--labels-out", dir.resolve("labels.nrrd").toString()));
        assertThat(nrrd.status()).isEqualTo(2);
        assertThat(nrrd.err()).contains("labels.nrrd").contains("raw");

        CliRun badModel = run("infer", "--model", both.toString(), "--series", both.toString(), "--out", dir.resolve("d.dcm").toString());
        assertThat(badModel.status()).isEqualTo(2);
        assertThat(badModel.err()).contains("model.json");
    }

    /** The demo model on a full-size axial CT (512 x 512): the SEG validates, reads back, and finds the liver. */
    @Test
    void segmentsA512CtWithTheDemoModel() throws Exception {
        Path demo = projectRoot().resolve("models/demo-abdomen-unet");
        assertThat(demo.resolve("model.json")).as("demo model package models/demo-abdomen-unet is missing (it comes from the model branch)")
                .isRegularFile();
        Path series = dir.resolve("ct512");
        SyntheticSeries.ct().size(512, 512, 48).spacing(0.7, 0.7, 2.5).write(series);
        Path out = dir.resolve("demo.dcm"), labelsOut = dir.resolve("demo.raw");

        CliRun run = run("infer", "--model", demo.toString(), "--series", series.toString(), "--out", out.toString(),
                "--labels-out", labelsOut.toString(), "--provider", "cpu", "--threads", "2");

        assertThat(run.status()).as(run.err()).isZero();
        System.out.print(run.out());
        ExternalTools.assertDciodvfyHasNoError(out, "infer demo model 512x512x48");
        byte[] labels = Files.readAllBytes(labelsOut);
        assertPydicomRebuilds(out, series, labels);
        Volume volume = VolumeReader.readSingleSeries(series);
        double liver = Dice.of(labels, PhantomVolume.groundTruth(volume.geometry()), Phantom.LIVER);
        System.out.printf("demo model through infer on 512x512x48: liver Dice %.3f%n", liver);
        assertThat(liver).as("liver Dice").isGreaterThan(0.8);
        JsonNode seg = segmentSequence(out);
        ModelPackage p = ModelPackage.load(demo);
        assertThat(seg.get("segments")).hasSize(p.manifest().labels().size());
        assertThat(seg.get("segments").get(0).get("algorithm").asText()).isEqualTo(p.manifest().name());
        assertThat(seg.get("seriesDescription").asText()).contains(p.manifest().name() + " " + p.manifest().version());
    }

    private static byte[] segmentDirectly(Path model, Volume volume) throws Exception {
        try (Segmenter s = Segmenter.open(ModelPackage.load(model), RuntimeOptions.cpu(1))) {
            return s.segment(volume).labels().labels();
        }
    }

    private void assertPydicomRebuilds(Path seg, Path series, byte[] expected) throws Exception {
        Path rebuilt = dir.resolve("rebuilt-" + seg.getFileName() + ".raw");
        ExternalTools.Run check = ExternalTools.python(projectRoot().resolve("dicom-io/src/test/python/seg_roundtrip.py").toString(),
                seg.toString(), series.toString(), rebuilt.toString());
        assertThat(check.exitCode()).as("pydicom read-back: %s", check.output()).isZero();
        assertThat(Files.readAllBytes(rebuilt)).as("label map rebuilt from the SEG by pydicom").isEqualTo(expected);
    }

    private static final String SEGMENTS_PY = """
            import json, sys, pydicom
            d = pydicom.dcmread(sys.argv[1])
            print(json.dumps({"seriesDescription": d.SeriesDescription, "segments": [
                {"number": int(s.SegmentNumber), "label": s.SegmentLabel, "algorithm": s.SegmentAlgorithmName,
                 "version": s.SegmentationAlgorithmIdentificationSequence[0].AlgorithmVersion,
                 "category": s.SegmentedPropertyCategoryCodeSequence[0].CodeValue,
                 "type": s.SegmentedPropertyTypeCodeSequence[0].CodeValue} for s in d.SegmentSequence]}))
            """;

    /** Series description and segment descriptions as pydicom reads them. */
    private static JsonNode segmentSequence(Path seg) throws Exception {
        ExternalTools.Run read = ExternalTools.python("-c", SEGMENTS_PY, seg.toString());
        assertThat(read.exitCode()).as(read.output()).isZero();
        return new ObjectMapper().readTree(read.output());
    }

    static Path projectRoot() {
        Path p = Path.of("").toAbsolutePath();
        while (p != null && !(Files.isRegularFile(p.resolve("mvnw")) && Files.isDirectory(p.resolve("inference")))) p = p.getParent();
        assertThat(p).as("not inside the project checkout").isNotNull();
        return p;
    }

    private static List<Integer> distinctLabels(byte[] labels) {
        boolean[] seen = new boolean[256];
        for (byte b : labels) seen[b & 0xFF] = true;
        List<Integer> values = new ArrayList<>();
        for (int v = 0; v < 256; v++) if (seen[v]) values.add(v);
        return values;
    }

    private static String[] concat(String[] a, String... b) {
        String[] all = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }
}
