package org.seggateway.dicomio.seg;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.seggateway.dicomio.synthetic.SyntheticSeries;
import org.seggateway.dicomio.volume.Volume;
import org.seggateway.dicomio.volume.VolumeReader;

/**
 * Writes SEGs of five segments over synthetic series and checks each with the real tools: dciodvfy
 * (no error, warnings printed and explained), dcmdump (reads it), and an independent pydicom reader
 * that rebuilds the label map from frame references and positions, which must equal the input voxel for
 * voxel.
 */
class SegmentationRoundTripTest {

    @TempDir
    Path dir;

    static Stream<Arguments> series() {
        return Stream.of(
                Arguments.of("axial CT, non-square", SyntheticSeries.ct().size(96, 128, 40).spacing(2.5, 2.5, 2.5)),
                Arguments.of("oblique MR", SyntheticSeries.mr().size(64, 64, 24).spacing(4, 4, 5)
                        .orientation(0.8660254, 0.5, 0, -0.4829629, 0.8365163, -0.2588190)),
                Arguments.of("CT, files in reverse slice order", SyntheticSeries.ct().size(64, 64, 30)
                        .spacing(3, 3, 3.5).reverseFileOrder()),
                Arguments.of("CT of 23x37 pixels, frames not byte-aligned", SyntheticSeries.ct().size(23, 37, 45)
                        .spacing(7, 7, 2.5)),
                Arguments.of("CT with a localizer in the series", SyntheticSeries.ct().size(64, 64, 30)
                        .spacing(4, 4, 3).withLocalizer()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("series")
    void segPassesValidatorsAndReadsBackVoxelForVoxel(String name, SyntheticSeries synthetic) throws IOException {
        SyntheticSeries.Written written = synthetic.noise(0, 1).write(dir.resolve("series"));
        SegmentationSource source = TestSeries.source(written);
        LabelMap labels = TestSeries.fiveSegmentLabels(source.geometry());
        Path out = dir.resolve("seg.dcm");

        WrittenSegmentation seg = new SegmentationWriter(SegmentationOptions.defaults())
                .write(source, labels, TestSeries.fiveSegments(), out);

        RoundTripChecks.assertDciodvfyClean(out, name);
        RoundTripChecks.assertDcmdumpReads(out);
        RoundTripChecks.assertPydicomRebuilds(out, written.directory(), labels, dir);
        assertThat(seg.fileSize()).isEqualTo(Files.size(out));
        assertThat(seg.segmentsWithoutFrames()).isEmpty();
        assertThat(out.resolveSibling("seg.dcm.partial")).doesNotExist();
    }

    static Stream<Arguments> seriesForTheReader() {
        return Stream.of(
                Arguments.of("enhanced multi-frame CT, frames in reverse order", true,
                        SyntheticSeries.ct().size(64, 48, 28).spacing(4, 4, 3).reverseFileOrder()),
                Arguments.of("single-frame CT", false, SyntheticSeries.ct().size(48, 64, 26).spacing(4, 4, 3)),
                Arguments.of("CT with a missing slice (interpolated by the reader)", false,
                        SyntheticSeries.ct().size(48, 48, 26).spacing(4, 4, 3).missingSlice(9)));
    }

    /** The gateway's path: VolumeReader assembles the series, the SEG is written from the volume's source. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("seriesForTheReader")
    void segOfAVolumeFromTheReaderReadsBackVoxelForVoxel(String name, boolean enhanced, SyntheticSeries synthetic)
            throws Exception {
        Path seriesDir = dir.resolve("series");
        synthetic.noise(0, 1);
        if (enhanced) synthetic.writeEnhanced(seriesDir);
        else synthetic.write(seriesDir);
        Volume volume = VolumeReader.readSingleSeries(seriesDir);
        SegmentationSource source = SegmentationSource.of(volume);
        LabelMap labels = TestSeries.fiveSegmentLabels(source.geometry());
        Path out = dir.resolve("seg.dcm");

        WrittenSegmentation seg = new SegmentationWriter(SegmentationOptions.defaults())
                .write(source, labels, TestSeries.fiveSegments(), out);

        RoundTripChecks.assertDciodvfyClean(out, name);
        RoundTripChecks.assertDcmdumpReads(out);
        // slices without a source image carry no frame: pydicom rebuilds the source slices only
        int sliceSize = labels.width() * labels.height();
        java.io.ByteArrayOutputStream expected = new java.io.ByteArrayOutputStream();
        int kept = 0;
        long leftOut = 0;
        for (int z = 0; z < labels.depth(); z++) {
            if (source.slices().get(z).isInterpolated()) {
                for (int i = z * sliceSize; i < (z + 1) * sliceSize; i++) if (labels.labels()[i] != 0) leftOut++;
                continue;
            }
            expected.write(labels.labels(), z * sliceSize, sliceSize);
            kept++;
        }
        RoundTripChecks.assertPydicomRebuilds(out, seriesDir,
                new LabelMap(labels.width(), labels.height(), kept, expected.toByteArray()), dir);
        assertThat(kept).isEqualTo(labels.depth() - (name.contains("missing") ? 1 : 0));
        assertThat(seg.voxelsLeftOut()).isEqualTo(leftOut);
        if (enhanced) assertThat(source.slices()).allMatch(s -> s.isFrameOfMultiFrame());
    }
}
