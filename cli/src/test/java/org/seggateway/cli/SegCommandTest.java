package org.seggateway.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.seggateway.cli.CliRun.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.seggateway.dicomio.header.DicomHeader;
import org.seggateway.dicomio.synthetic.Phantom;
import org.seggateway.dicomio.synthetic.SyntheticSeries;
import org.seggateway.dicomio.volume.Volume;
import org.seggateway.dicomio.volume.VolumeGeometry;
import org.seggateway.dicomio.volume.VolumeReader;

/** {@code seg-gateway seg}: synthetic sphere, raw and NRRD label maps, and the errors a user meets. */
class SegCommandTest {
    @TempDir
    Path dir;

    Path series;
    VolumeGeometry grid;

    @BeforeEach
    void writeSeries() throws Exception {
        series = dir.resolve("ct");
        SyntheticSeries.ct().size(48, 40, 20).spacing(5, 5, 5).reverseFileOrder().write(series);
        Volume volume = VolumeReader.readSingleSeries(series);
        grid = volume.geometry();
    }

    @Test
    void writesASyntheticSphereSeg() throws Exception {
        Path out = dir.resolve("sphere.dcm");
        CliRun run = run("seg", "--series", series.toString(), "--synthetic", "--out", out.toString());

        assertThat(run.status()).as(run.err()).isZero();
        JsonNode report = new ObjectMapper().readTree(run.out());
        assertThat(report.get("frames").asInt()).isPositive().isLessThan(grid.depth() + 1);
        assertThat(report.get("segmentNumbers").get("1").asInt()).isEqualTo(1);
        DicomHeader seg = DicomHeader.read(out);
        assertThat(seg.string("SOPClassUID")).isEqualTo("1.2.840.10008.5.1.4.1.1.66.4");
        assertThat(seg.string("SOPInstanceUID")).isEqualTo(report.get("sopInstanceUid").asText());
        assertDciodvfyHasNoError(out);
    }

    @Test
    void writesARawLabelMapWithModelLabels() throws Exception {
        Path labels = Files.write(dir.resolve("labels.raw"), phantomLabels());
        Path segments = Files.writeString(dir.resolve("segments.json"), SEGMENTS);
        Path out = dir.resolve("seg.dcm");
        CliRun run = run("seg", "--series", series.toString(), "--labels", labels.toString(), "--segments",
                segments.toString(), "--out", out.toString(), "--series-number", "42");

        assertThat(run.status()).as(run.err()).isZero();
        DicomHeader seg = DicomHeader.read(out);
        assertThat(seg.string("SeriesNumber")).isEqualTo("42");
        assertThat(new ObjectMapper().readTree(run.out()).get("segmentsWithoutFrames")).isEmpty();
        assertDciodvfyHasNoError(out);
    }

    @Test
    void writesAGzipNrrdLabelMap() throws Exception {
        ByteArrayOutputStream gz = new ByteArrayOutputStream();
        try (var zip = new java.util.zip.GZIPOutputStream(gz)) {
            zip.write(phantomLabels());
        }
        String header = "NRRD0004\ntype: uchar\ndimension: 3\nsizes: " + grid.width() + " " + grid.height() + " "
                + grid.depth() + "\nencoding: gzip\n\n";
        Path nrrd = dir.resolve("labels.nrrd");
        Files.write(nrrd, header.getBytes(StandardCharsets.US_ASCII));
        Files.write(nrrd, gz.toByteArray(), java.nio.file.StandardOpenOption.APPEND);
        Path segments = Files.writeString(dir.resolve("segments.json"), SEGMENTS);
        CliRun run = run("seg", "--series", series.toString(), "--labels", nrrd.toString(), "--segments",
                segments.toString(), "--out", dir.resolve("seg.dcm").toString());
        assertThat(run.status()).as(run.err()).isZero();
    }

    @Test
    void explainsBadInputInOneLine() throws Exception {
        Path segments = Files.writeString(dir.resolve("segments.json"), SEGMENTS);
        Path wrongSize = Files.write(dir.resolve("small.raw"), new byte[10]);
        CliRun small = run("seg", "--series", series.toString(), "--labels", wrongSize.toString(), "--segments",
                segments.toString(), "--out", dir.resolve("a.dcm").toString());
        assertThat(small.status()).isEqualTo(2);
        assertThat(small.err()).contains("small.raw").contains("10 bytes").contains(grid.voxelCount() + "");

        byte[] labels = phantomLabels();
        labels[0] = 7;
        Path undescribed = Files.write(dir.resolve("seven.raw"), labels);
        CliRun seven = run("seg", "--series", series.toString(), "--labels", undescribed.toString(), "--segments",
                segments.toString(), "--out", dir.resolve("b.dcm").toString());
        assertThat(seven.status()).isEqualTo(2);
        assertThat(seven.err()).contains("[7]").contains("no segment description");

        Path badJson = Files.writeString(dir.resolve("bad.json"), "[{\"value\": 1, \"name\": \"Liver\"}]");
        CliRun json = run("seg", "--series", series.toString(), "--labels", undescribed.toString(), "--segments",
                badJson.toString(), "--out", dir.resolve("c.dcm").toString());
        assertThat(json.status()).isEqualTo(2);
        assertThat(json.err()).contains("bad.json").contains("entry 0").contains("'category'");

        CliRun both = run("seg", "--series", series.toString(), "--synthetic", "--labels", undescribed.toString(),
                "--segments", segments.toString(), "--out", dir.resolve("d.dcm").toString());
        assertThat(both.status()).isNotZero();
    }

    static final String SEGMENTS = """
            [ { "value": 1, "name": "Liver",
                "category": { "code": "123037004", "scheme": "SCT", "meaning": "Anatomical Structure" },
                "type":     { "code": "10200004",  "scheme": "SCT", "meaning": "Liver" },
                "color": [221, 130, 101], "algorithmName": "demo-abdomen-unet", "algorithmVersion": "1.0.0" },
              { "value": 2, "name": "Lesion",
                "category": { "code": "49755003", "scheme": "SCT", "meaning": "Morphologically Altered Structure" },
                "type":     { "code": "4147007",  "scheme": "SCT", "meaning": "Mass" } } ]
            """;

    private byte[] phantomLabels() {
        Phantom phantom = Phantom.standard();
        byte[] labels = new byte[(int) grid.voxelCount()];
        for (int z = 0; z < grid.depth(); z++)
            for (int y = 0; y < grid.height(); y++)
                for (int x = 0; x < grid.width(); x++) {
                    double[] p = grid.positionOf(x, y, z);
                    labels[x + grid.width() * (y + grid.height() * z)] = (byte) phantom.labelAt(p[0], p[1], p[2]);
                }
        return labels;
    }

    private static void assertDciodvfyHasNoError(Path file) throws Exception {
        Process p = new ProcessBuilder(List.of("dciodvfy", file.toString())).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(output).as(output).doesNotContain("Error").doesNotContain("Warning");
    }
}
