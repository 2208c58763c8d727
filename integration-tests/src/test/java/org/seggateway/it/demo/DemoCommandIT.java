package org.seggateway.it.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.seggateway.dicomio.header.DicomHeader;
import org.seggateway.dicomio.seg.SegmentVoxels;
import org.seggateway.dicomio.seg.SegmentationReader;
import org.seggateway.dicomio.synthetic.Phantom;
import org.seggateway.dicomio.volume.DicomFolderScanner;
import org.seggateway.dicomio.volume.FolderScan;
import org.seggateway.dicomio.volume.VolumeGeometry;
import org.seggateway.dicomio.volume.VolumeLayout;
import org.seggateway.dicomio.volume.VolumeReader;
import org.seggateway.it.pipeline.LoopbackPorts;

/**
 * {@code bin/seg-gateway demo} end to end, as a user runs it (built by Maven before this module's tests: cli and the
 * gateway application): it exits 0 with a DICOM SEG at the stand-in PACS that references the sent sample series and
 * passes dciodvfy, and nothing it started still listens afterwards. The SEG's content is checked too: it went through
 * the gateway, Kafka and a worker running the real demo model ({@code models/demo-abdomen-unet}, ONNX), and its
 * segments must overlap the phantom's ground truth with at least the Dice that the model's README reports for a grid
 * like the sample's (liver 0.98, lesion 0.93 at 3.0 x 1.4 x 1.4 mm) less a margin.
 */
class DemoCommandIT {
    static final Path PROJECT = Path.of(System.getProperty("user.dir")).toAbsolutePath().getParent();

    @TempDir
    Path work;

    @Test
    @Timeout(value = 15, unit = TimeUnit.MINUTES)
    void sendsTheSampleAndGetsItsSegBackThenStopsEverything() throws Exception {
        ProcessBuilder pb = new ProcessBuilder(List.of(PROJECT.resolve("bin/seg-gateway").toString(), "demo",
                "--work", work.toString(), "--timeout", "300"))
                .directory(PROJECT.toFile()).redirectErrorStream(true);
        pb.environment().put("SEG_GATEWAY_NO_BUILD", "1");   // Maven built cli and gateway before this module
        Process demo = pb.start();
        String output = new String(demo.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(demo.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(demo.exitValue()).as(output).isZero();

        Path seg = Path.of(find(output, "SEG stored at +(\\S+)"));
        assertThat(seg).exists().startsWith(work.resolve("pacs"));
        DicomHeader header = DicomHeader.read(seg);
        assertThat(header.string("SOPClassUID")).isEqualTo("1.2.840.10008.5.1.4.1.1.66.4");
        assertThat(header.string("SOPInstanceUID")).isEqualTo(find(output, "SOP Instance +(\\S+)"));
        assertThat(Integer.parseInt(header.string("NumberOfFrames"))).isEqualTo(Integer.parseInt(find(output, "frames +(\\d+)")))
                .isPositive();
        String sourceSeries = find(output, "source series +(\\S+)");
        assertThat(run("dcmdump", seg.toString())).as("the SEG references the sent series").contains("[" + sourceSeries + "]");
        assertThat(run("dciodvfy", seg.toString())).doesNotContain("Error");
        assertThat(output).contains("wait for the SEG", "total");
        assertSegmentsMatchThePhantom(seg, work.resolve("sample"), sourceSeries);

        for (String port : List.of(find(output, "DICOM SEGGATEWAY@127\\.0\\.0\\.1:(\\d+)"), find(output, "HTTP 127\\.0\\.0\\.1:(\\d+)"),
                find(output, "broker 127\\.0\\.0\\.1:(\\d+)")))
            assertThat(LoopbackPorts.listening(Integer.parseInt(port))).as("port " + port + " still answers after the demo").isFalse();
    }

    /** Minimum Dice against the phantom's truth, per segment label of the demo model. */
    static final Map<String, Double> MIN_DICE = Map.of("Liver", 0.90, "Lesion", 0.85);

    /**
     * The SEG read back on the sample's grid (frames placed by Image Position, checked against their source image
     * references), each segment compared with the phantom's label at every voxel centre.
     */
    private static void assertSegmentsMatchThePhantom(Path seg, Path sampleFolder, String sourceSeries) throws Exception {
        FolderScan scan = DicomFolderScanner.scan(sampleFolder);
        assertThat(scan.series()).singleElement().satisfies(s -> assertThat(s.seriesInstanceUid()).isEqualTo(sourceSeries));
        VolumeLayout sample = VolumeReader.layout(scan.series().getFirst());
        VolumeGeometry g = sample.geometry();
        Phantom phantom = Phantom.standard();
        byte[] truth = new byte[Math.toIntExact(g.voxelCount())];
        for (int z = 0, i = 0; z < g.depth(); z++)
            for (int y = 0; y < g.height(); y++)
                for (int x = 0; x < g.width(); x++, i++) {
                    double[] p = g.positionOf(x, y, z);
                    truth[i] = (byte) phantom.labelAt(p[0], p[1], p[2]);
                }
        Map<String, Integer> truthLabel = Map.of("Liver", Phantom.LIVER, "Lesion", Phantom.LESION);

        List<SegmentVoxels> segments = SegmentationReader.readSegments(seg, g);
        assertThat(segments).extracting(SegmentVoxels::label).containsExactlyInAnyOrderElementsOf(MIN_DICE.keySet());
        for (SegmentVoxels s : segments) {
            s.sourceBySlice().forEach((z, sop) -> assertThat(sop).as("source of the %s frame on slice %d", s.label(), z)
                    .isEqualTo(sample.slices().get(z).sopInstanceUid()));
            int label = truthLabel.get(s.label());
            long both = 0, inTruth = 0;
            for (int i = 0; i < truth.length; i++) {
                boolean t = truth[i] == label;
                if (t) inTruth++;
                if (t && s.voxels().get(i)) both++;
            }
            double dice = 2.0 * both / (inTruth + s.voxelCount());
            System.out.printf("demo SEG %s: %d voxels, truth %d, Dice %.4f%n", s.label(), s.voxelCount(), inTruth, dice);
            assertThat(inTruth).as("%s voxels in the phantom's truth on the sample grid", s.label()).isPositive();
            assertThat(dice).as("Dice of %s against the phantom", s.label()).isGreaterThanOrEqualTo(MIN_DICE.get(s.label()));
        }
    }

    private static String find(String output, String regex) {
        Matcher m = Pattern.compile(regex).matcher(output);
        assertThat(m.find()).as("'" + regex + "' in the demo's output:\n" + output).isTrue();
        return m.group(1);
    }

    private static String run(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return out;
    }
}
