package org.seggateway.dicomio.seg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.seggateway.dicomio.header.DicomHeader;
import org.seggateway.dicomio.measure.SegmentStatistics;
import org.seggateway.dicomio.measure.SegmentStatisticsCalculator;
import org.seggateway.dicomio.synthetic.SyntheticSeries;
import org.seggateway.dicomio.testing.ExternalTools;
import org.seggateway.dicomio.volume.Volume;
import org.seggateway.dicomio.volume.VolumeReader;

/** The TID 1500 report beside a SEG of the phantom: dciodvfy accepts it and pydicom finds every segment's volume. */
class MeasurementReportWriterTest {
    @TempDir
    Path dir;

    @Test
    void reportsTheVolumeAndMeanOfEverySegmentWithVoxelsReferencingTheSegAndTheSourceSeries() throws Exception {
        SyntheticSeries.Written ct = SyntheticSeries.ct().size(40, 48, 24).spacing(4, 4, 4).noise(5, 3).write(dir.resolve("ct"));
        Volume volume = VolumeReader.readSingleSeries(ct.directory());
        SegmentationSource source = SegmentationSource.of(volume);
        LabelMap labels = TestSeries.fiveSegmentLabels(source.geometry());
        List<SegmentDescription> segments = new ArrayList<>(TestSeries.fiveSegments());
        segments.add(TestSeries.segment(6, "Pancreas", new Code("123037004", "SCT", "Anatomical Structure"),
                new Code("15776009", "SCT", "Pancreas"), null)); // described, no voxel: no measurement group
        SegmentationOptions options = SegmentationOptions.defaults();
        WrittenSegmentation seg = new SegmentationWriter(options).write(source, labels, segments, dir.resolve("seg.dcm"));
        Map<Integer, SegmentStatistics> stats = SegmentStatisticsCalculator.compute(volume, labels,
                Set.of(1, 2, 3, 4, 5, 6), Set.of());

        WrittenMeasurementReport report = new MeasurementReportWriter(options.withSeries(901, "AI measurements"))
                .write(source, seg, segments, stats, dir.resolve("sr.dcm"));

        assertThat(report.measurementGroups()).isEqualTo(5);
        List<String> warnings = ExternalTools.assertDciodvfyHasNoError(report.file(), "measurement report");
        assertThat(warnings).as("dciodvfy warnings").isEmpty();
        // DCMTK's SR reader checks the content tree against the Enhanced SR relationship constraints
        ExternalTools.Run dsrdump = ExternalTools.run(List.of(ExternalTools.tool("dsrdump"), "-Ee", "-Ec", report.file().toString()));
        assertThat(dsrdump.exitCode()).as(dsrdump.output()).isZero();
        assertThat(dsrdump.output()).as("dsrdump").startsWith("Enhanced SR Document").doesNotContain("W: ").doesNotContain("E: ")
                .contains("Imaging Measurement Report").contains("Referenced Segment");
        DicomHeader sr = DicomHeader.read(report.file());
        assertThat(sr.string("Modality")).isEqualTo("SR");
        assertThat(sr.string("StudyInstanceUID")).isEqualTo(ct.studyInstanceUid());
        assertThat(sr.string("SeriesInstanceUID")).isEqualTo(report.seriesInstanceUid())
                .isNotEqualTo(seg.seriesInstanceUid()).isNotEqualTo(ct.seriesInstanceUid());
        assertThat(sr.string("SeriesNumber")).isEqualTo("901");
        assertThat(sr.string("PatientID")).isEqualTo(DicomHeader.read(ct.files().getFirst()).string("PatientID")).isNotEmpty();

        ExternalTools.Run walk = ExternalTools.python(Path.of("src/test/python/sr_measurements.py").toAbsolutePath().toString(),
                report.file().toString());
        assertThat(walk.exitCode()).as("pydicom walk: %s", walk.output()).isZero();
        Map<Integer, String[]> bySegment = walk.output().lines().map(line -> line.split("\t"))
                .collect(Collectors.toMap(n -> Integer.parseInt(n[0]), n -> n));
        assertThat(bySegment).containsOnlyKeys(1, 2, 3, 4, 5);
        for (SegmentDescription s : TestSeries.fiveSegments()) {
            String[] group = bySegment.get(seg.segmentNumbers().get(s.labelValue()));
            SegmentStatistics expected = stats.get(s.labelValue());
            long voxels = countLabel(labels, s.labelValue());
            assertThat(expected.voxelCount()).isEqualTo(voxels);
            assertThat(group[1]).isEqualTo(s.label());
            assertThat(group[3]).isEqualTo(s.type().value());
            assertThat(group[4]).isEqualTo(seg.sopInstanceUid());
            assertThat(group[5]).isEqualTo(ct.seriesInstanceUid());
            assertThat(Double.parseDouble(group[6])).isCloseTo(voxels * 4 * 4 * 4 / 1000.0, within(1e-6));
            assertThat(Double.parseDouble(group[7])).isCloseTo(expected.mean(), within(1e-5));
        }
        assertThat(bySegment.values().stream().map(n -> n[2]).distinct()).hasSize(5);
        // the liver's mean is the phantom's liver value, give or take the noise
        assertThat(Double.parseDouble(bySegment.get(1)[7])).isBetween(100.0, 120.0);
    }

    private static long countLabel(LabelMap labels, int value) {
        long n = 0;
        for (byte b : labels.labels()) if ((b & 0xFF) == value) n++;
        return n;
    }

}
