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
}
