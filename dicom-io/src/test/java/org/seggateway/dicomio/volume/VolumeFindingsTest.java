package org.seggateway.dicomio.volume;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.pixelmed.dicom.TagFromName;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.seggateway.dicomio.synthetic.SyntheticSeries;
import org.seggateway.dicomio.uid.UidGenerator;

/** Series that are not a clean stack: what is repaired with a warning, what is refused, and the messages. */
class VolumeFindingsTest {
    @TempDir
    Path dir;

    private static SyntheticSeries ct(int slices) {
        return SyntheticSeries.ct().size(32, 32, slices).spacing(6, 6, 3).noise(0, 1);
    }

    @Test
    void missingSliceIsInterpolatedWithAWarningNamingTheGap() throws Exception {
        SyntheticSeries.Written w = ct(20).missingSlice(7).write(dir);
        assertThat(w.files()).hasSize(19);

        Volume v = VolumeReader.readSingleSeries(dir);

        assertThat(v.geometry().depth()).isEqualTo(20);
        assertThat(v.geometry().spacing()[2]).isEqualTo(3.0);
        assertThat(v.slices().get(7).isInterpolated()).isTrue();
        assertThat(v.slices().stream().filter(s -> !s.isInterpolated()).map(SliceSource::sopInstanceUid).toList())
                .isEqualTo(w.sopInstanceUids());
        assertThat(v.warnings()).singleElement().asString().contains(w.seriesInstanceUid())
                .contains("1 slice(s) missing").contains("gap of 6 mm").contains("-10.5 and -4.5 mm");
        int n = v.geometry().sliceSize();
        for (int p = 0; p < n; p++)
            assertThat(v.int16Voxels()[7 * n + p])
                    .isEqualTo((short) Math.round((v.int16Voxels()[6 * n + p] + v.int16Voxels()[8 * n + p]) / 2.0));
    }

    @Test
    void tooLargeAGapIsAnError() throws Exception {
        SyntheticSeries.Written w = ct(20).write(dir);
        for (int i = 5; i < 11; i++) Files.delete(w.files().get(i));

        VolumeException e = readFails();

        assertThat(e.seriesInstanceUid()).isEqualTo(w.seriesInstanceUid());
        assertThat(e).hasMessageContaining(w.seriesInstanceUid()).hasMessageContaining("6 slices missing");
    }

    @Test
    void localizerIsDroppedWithAWarning() throws Exception {
        SyntheticSeries.Written w = ct(10).withLocalizer().write(dir);
        assertThat(w.files()).hasSize(11);

        Volume v = VolumeReader.readSingleSeries(dir);

        assertThat(v.geometry().depth()).isEqualTo(10);
        assertThat(v.slices()).extracting(SliceSource::sopInstanceUid).isEqualTo(w.sopInstanceUids());
        assertThat(v.geometry().direction()).containsExactly(1, 0, 0, 0, 1, 0, 0, 0, 1);
        assertThat(v.warnings()).singleElement().asString().contains(w.seriesInstanceUid()).contains("localizer")
                .contains("LOCALIZER.dcm");
    }

    @Test
    void differentlyOrientedImageWithoutLocalizerTypeIsDroppedAsOne() throws Exception {
        SyntheticSeries.Written w = ct(10).withLocalizer().write(dir);
        TestFiles.edit(dir.resolve("LOCALIZER.dcm"), l -> TestFiles.set(l, TagFromName.ImageType, "ORIGINAL", "PRIMARY", "AXIAL"));

        Volume v = VolumeReader.readSingleSeries(dir);

        assertThat(v.geometry().depth()).isEqualTo(10);
        assertThat(v.warnings()).singleElement().asString().contains("orientation differs").contains("LOCALIZER.dcm");
        assertThat(w.sopInstanceUids()).hasSize(10);
    }

    @Test
    void imagesOfTwoFramesOfReferenceAreRefusedNamingEachWithItsCount() throws Exception {
        SyntheticSeries.Written w = ct(10).write(dir);
        String other = new UidGenerator().next();
        for (int i = 6; i < 10; i++)
            TestFiles.edit(w.files().get(i), l -> TestFiles.set(l, TagFromName.FrameOfReferenceUID, other));

        VolumeException e = readFails();

        assertThat(e.seriesInstanceUid()).isEqualTo(w.seriesInstanceUid());
        assertThat(e).hasMessageContaining("images of 2 Frames of Reference in one series: 6 image(s) in " + w.frameOfReferenceUid()
                + ", 4 image(s) in " + other);
    }

    @Test
    void anImageWithoutFrameOfReferenceAmongOthersCountsAsAnotherOne() throws Exception {
        SyntheticSeries.Written w = ct(10).write(dir);
        TestFiles.edit(w.files().get(3), l -> l.remove(TagFromName.FrameOfReferenceUID));

        assertThat(readFails()).hasMessageContaining("9 image(s) in " + w.frameOfReferenceUid() + ", 1 image(s) in (none)");
    }

    @Test
    void aLocalizerInAnotherFrameOfReferenceIsDroppedWithoutRefusingTheSeries() throws Exception {
        SyntheticSeries.Written w = ct(10).withLocalizer().write(dir);
        TestFiles.edit(dir.resolve("LOCALIZER.dcm"), l -> TestFiles.set(l, TagFromName.FrameOfReferenceUID, new UidGenerator().next()));

        Volume v = VolumeReader.readSingleSeries(dir);

        assertThat(v.frameOfReferenceUid()).isEqualTo(w.frameOfReferenceUid());
        assertThat(v.geometry().depth()).isEqualTo(10);
        assertThat(v.warnings()).singleElement().asString().contains("localizer");
    }

    @Test
    void mixedOrientationsAreAnError() throws Exception {
        SyntheticSeries.Written axial = ct(8).write(dir.resolve("axial"));
        SyntheticSeries.Written coronal = ct(8).orientation(1, 0, 0, 0, 0, -1).write(dir.resolve("coronal"));
        for (Path f : coronal.files()) TestFiles.edit(f, l -> TestFiles.set(l, TagFromName.SeriesInstanceUID, axial.seriesInstanceUid()));

        VolumeException e = readFails();

        assertThat(e).hasMessageContaining(axial.seriesInstanceUid()).hasMessageContaining("mixed image orientations");
    }

    @Test
    void duplicatePositionIsAnError() throws Exception {
        SyntheticSeries.Written w = ct(10).write(dir);
        Path copy = dir.resolve("DUP.dcm");
        Files.copy(w.files().get(4), copy);
        TestFiles.edit(copy, l -> TestFiles.set(l, TagFromName.SOPInstanceUID, new UidGenerator().next()));

        VolumeException e = readFails();

        assertThat(e).hasMessageContaining(w.seriesInstanceUid()).hasMessageContaining("share their position")
                .hasMessageContaining("DUP.dcm").hasMessageContaining("IMG0005.dcm");
    }

    @Test
    void sameInstanceTwiceIsIgnoredWithAWarning() throws Exception {
        SyntheticSeries.Written w = ct(10).write(dir);
        Files.createDirectories(dir.resolve("copy"));
        Files.copy(w.files().get(4), dir.resolve("copy/IMG0005.dcm"));

        Volume v = VolumeReader.readSingleSeries(dir);

        assertThat(v.geometry().depth()).isEqualTo(10);
        assertThat(v.warnings()).singleElement().asString().contains("found more than once");
    }

    @Test
    void mixedSizesAreAnError() throws Exception {
        SyntheticSeries.Written big = ct(6).write(dir.resolve("a"));
        SyntheticSeries.Written small = SyntheticSeries.ct().size(16, 16, 6).spacing(6, 6, 3).write(dir.resolve("b"));
        for (Path f : small.files())
            TestFiles.edit(f, l -> {
                TestFiles.set(l, TagFromName.SeriesInstanceUID, big.seriesInstanceUid());
                TestFiles.set(l, TagFromName.FrameOfReferenceUID, big.frameOfReferenceUid()); // else refused for that first
            });

        VolumeException e = readFails();

        assertThat(e).hasMessageContaining(big.seriesInstanceUid()).hasMessageContaining("mixed image sizes")
                .hasMessageContaining("6 image(s) of 32x32").hasMessageContaining("6 image(s) of 16x16");
    }

    @Test
    void gantryTiltIsAnErrorNamingTheAngle() throws Exception {
        SyntheticSeries.Written w = ct(10).gantryTilt(15).write(dir);

        VolumeException e = readFails();

        assertThat(e).hasMessageContaining(w.seriesInstanceUid()).hasMessageContaining("gantry tilt")
                .hasMessageContaining("about 15 degrees");
    }

    @Test
    void tinyTiltWithinHalfAPixelIsAccepted() throws Exception {
        ct(10).gantryTilt(0.2).write(dir); // 27 mm x tan(0.2 deg) = 0.09 mm, below half of 6 mm

        assertThat(VolumeReader.readSingleSeries(dir).geometry().depth()).isEqualTo(10);
    }

    @Test
    void nonUniformSpacingIsAnError() throws Exception {
        SyntheticSeries.Written w = ct(10).write(dir);
        TestFiles.edit(w.files().get(5), l -> {
            String[] p = l.get(TagFromName.ImagePositionPatient).getStringValues();
            TestFiles.set(l, TagFromName.ImagePositionPatient, p[0], p[1], Double.toString(Double.parseDouble(p[2]) + 1.2));
        });

        VolumeException e = readFails();

        assertThat(e).hasMessageContaining(w.seriesInstanceUid()).hasMessageContaining("non-uniform slice spacing");
    }

    @Test
    void missingPixelSpacingIsAnErrorNamingTheFile() throws Exception {
        SyntheticSeries.Written w = ct(4).write(dir);
        TestFiles.edit(w.files().get(2), l -> l.remove(TagFromName.PixelSpacing));

        VolumeException e = readFails();

        assertThat(e).hasMessageContaining(w.seriesInstanceUid()).hasMessageContaining("IMG0003.dcm")
                .hasMessageContaining("Pixel Spacing");
    }

    private VolumeException readFails() {
        return catchThrowableOfType(VolumeException.class, () -> VolumeReader.readSingleSeries(dir));
    }
}
