package org.seggateway.dicomio.volume;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.pixelmed.dicom.TagFromName;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.seggateway.dicomio.header.DicomHeader;
import org.seggateway.dicomio.synthetic.SyntheticSeries;

/** Geometry, slice order and voxel values of well-formed series. */
class VolumeReaderTest {
    @TempDir
    Path dir;

    @Test
    void axialCtGeometryAndValues() throws Exception {
        SyntheticSeries s = SyntheticSeries.ct().size(64, 64, 20).spacing(3, 3, 3).noise(0, 1);
        SyntheticSeries.Written w = s.write(dir);

        Volume v = VolumeReader.readSingleSeries(dir);

        VolumeGeometry g = v.geometry();
        assertThat(new int[] {g.width(), g.height(), g.depth()}).containsExactly(64, 64, 20);
        assertThat(g.spacing()).containsExactly(3, 3, 3);
        assertThat(g.origin()).containsExactly(-94.5, -94.5, -28.5);
        assertThat(g.direction()).containsExactly(1, 0, 0, 0, 1, 0, 0, 0, 1);
        assertThat(v.seriesInstanceUid()).isEqualTo(w.seriesInstanceUid());
        assertThat(v.frameOfReferenceUid()).isEqualTo(w.frameOfReferenceUid());
        assertThat(v.slices()).extracting(SliceSource::sopInstanceUid).isEqualTo(w.sopInstanceUids());
        assertThat(v.slices()).allSatisfy(src -> assertThat(src.frameNumber()).isZero());
        assertThat(v.voxelType()).isEqualTo(VoxelType.INT16);
        assertThat(v.warnings()).isEmpty();
        assertThat(v.header().string("Modality")).isEqualTo("CT");
        assertThat(TestFiles.mismatchFraction(v, s)).isLessThan(1e-3);
        assertThat(range(v)).containsExactly(-1000f, 200f);
        assertSlicePositionsMatchFiles(v, w);
    }

    @Test
    void axialCt512() throws Exception {
        SyntheticSeries s = SyntheticSeries.ct().size(512, 512, 6).noise(0, 1);
        s.write(dir);

        Volume v = VolumeReader.readSingleSeries(dir);

        assertThat(new int[] {v.geometry().width(), v.geometry().height(), v.geometry().depth()}).containsExactly(512, 512, 6);
        assertThat(v.geometry().spacing()).containsExactly(0.7, 0.7, 1.0);
        assertThat(v.geometry().origin()).containsExactly(-178.85, -178.85, -2.5);
        assertThat(TestFiles.mismatchFraction(v, s)).isLessThan(1e-3);
    }

    @Test
    void noisyCtStaysWithinNoiseOfThePhantom() throws Exception {
        SyntheticSeries s = SyntheticSeries.ct().size(64, 64, 10).spacing(3, 3, 3).noise(10, 7);
        s.write(dir);

        Volume v = VolumeReader.readSingleSeries(dir);

        double sum = 0, sumSq = 0;
        VolumeGeometry g = v.geometry();
        for (int i = 0; i < g.voxelCount(); i++) {
            int x = (int) (i % g.width()), y = (int) (i / g.width() % g.height()), z = (int) (i / g.sliceSize());
            double[] p = g.positionOf(x, y, z);
            double d = v.value(i) - s.valueAt(p[0], p[1], p[2]);
            sum += d;
            sumSq += d * d;
        }
        assertThat(sum / g.voxelCount()).isCloseTo(0, within(0.5));
        assertThat(Math.sqrt(sumSq / g.voxelCount())).isCloseTo(10, within(1.0));
    }

    @Test
    void obliqueMrDirectionOriginAndValues() throws Exception {
        double a = Math.toRadians(30), b = Math.toRadians(20);
        double[] row = {Math.cos(a), Math.sin(a), 0};
        double[] column = {-Math.sin(a) * Math.cos(b), Math.cos(a) * Math.cos(b), -Math.sin(b)};
        double[] normal = SliceStack.cross(row, column);
        SyntheticSeries s = SyntheticSeries.mr().size(64, 64, 16).spacing(3, 3, 4).noise(0, 1)
                .orientation(row[0], row[1], row[2], column[0], column[1], column[2]);
        SyntheticSeries.Written w = s.write(dir);

        Volume v = VolumeReader.readSingleSeries(dir);

        VolumeGeometry g = v.geometry();
        for (int k = 0; k < 3; k++) {
            assertThat(g.axis(0)[k]).isCloseTo(row[k], within(1e-5));
            assertThat(g.axis(1)[k]).isCloseTo(column[k], within(1e-5));
            assertThat(g.axis(2)[k]).isCloseTo(normal[k], within(1e-5));
            double origin = -(row[k] * 3 * 63 + column[k] * 3 * 63 + normal[k] * 4 * 15) / 2;
            assertThat(g.origin()[k]).isCloseTo(origin, within(1e-4));
        }
        assertThat(g.spacing()[2]).isCloseTo(4, within(1e-4));
        assertThat(v.slices()).extracting(SliceSource::sopInstanceUid).isEqualTo(w.sopInstanceUids());
        assertThat(v.voxelType()).isEqualTo(VoxelType.INT16);
        assertThat(TestFiles.mismatchFraction(v, s)).isLessThan(1e-3);
        assertThat(range(v)[1]).as("the lesion is in the field of view").isEqualTo(1400f);
        assertSlicePositionsMatchFiles(v, w);
    }

    @Test
    void reversedFileOrderGivesTheSameVolume() throws Exception {
        SyntheticSeries.Written forward = SyntheticSeries.ct().size(32, 32, 12).spacing(5, 5, 5).noise(0, 1).write(dir.resolve("f"));
        SyntheticSeries.Written reversed = SyntheticSeries.ct().size(32, 32, 12).spacing(5, 5, 5).noise(0, 1)
                .reverseFileOrder().write(dir.resolve("r"));
        assertThat(reversed.files().getFirst().getFileName().toString()).isEqualTo("IMG0012.dcm");

        Volume f = VolumeReader.readSingleSeries(dir.resolve("f")), r = VolumeReader.readSingleSeries(dir.resolve("r"));

        assertThat(r.geometry()).isEqualTo(f.geometry());
        assertThat(r.int16Voxels()).isEqualTo(f.int16Voxels());
        assertThat(r.slices()).extracting(SliceSource::sopInstanceUid).isEqualTo(reversed.sopInstanceUids());
    }

    @Test
    void enhancedMultiFrameCt() throws Exception {
        SyntheticSeries s = SyntheticSeries.ct().size(64, 64, 20).spacing(3, 3, 3).noise(0, 1).reverseFileOrder();
        SyntheticSeries.Written w = s.writeEnhanced(dir);

        Volume v = VolumeReader.readSingleSeries(dir);

        assertThat(v.geometry().origin()).containsExactly(-94.5, -94.5, -28.5);
        assertThat(v.geometry().spacing()).containsExactly(3, 3, 3);
        assertThat(v.geometry().depth()).isEqualTo(20);
        // frames were written from the top down: frame 20 is the lowest slice
        assertThat(v.slices()).extracting(SliceSource::frameNumber).containsExactly(
                20, 19, 18, 17, 16, 15, 14, 13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1);
        assertThat(v.slices()).extracting(SliceSource::sopInstanceUid).containsOnly(w.sopInstanceUids().getFirst());
        assertThat(v.slices().getFirst().sopClassUid()).isEqualTo("1.2.840.10008.5.1.4.1.1.2.1");
        assertThat(v.voxelType()).isEqualTo(VoxelType.INT16);
        assertThat(TestFiles.mismatchFraction(v, s)).isLessThan(1e-3);
        assertThat(v.warnings()).isEmpty();
    }

    @Test
    void enhancedAndSingleFrameSeriesGiveEqualVolumes() throws Exception {
        SyntheticSeries.Written single = SyntheticSeries.ct().size(32, 32, 8).spacing(5, 5, 5).noise(10, 3).write(dir.resolve("s"));
        SyntheticSeries.ct().size(32, 32, 8).spacing(5, 5, 5).noise(10, 3).writeEnhanced(dir.resolve("e"));

        Volume s = VolumeReader.readSingleSeries(dir.resolve("s")), e = VolumeReader.readSingleSeries(dir.resolve("e"));

        assertThat(e.geometry()).isEqualTo(s.geometry());
        assertThat(e.int16Voxels()).isEqualTo(s.int16Voxels());
        assertThat(single.files()).hasSize(8);
    }

    @Test
    void singleSliceIsAVolumeOfDepthOneWithAWarning() throws Exception {
        SyntheticSeries.Written w = SyntheticSeries.ct().size(64, 64, 1).spacing(3, 3, 2.5).noise(0, 1).write(dir);

        Volume v = VolumeReader.readSingleSeries(dir);

        assertThat(v.geometry().depth()).isEqualTo(1);
        assertThat(v.geometry().spacing()[2]).isEqualTo(2.5);
        assertThat(v.warnings()).singleElement().asString()
                .contains(w.seriesInstanceUid()).contains("single slice").contains("Slice Thickness");
    }

    @Test
    void nonIntegerSlopeGivesFloatVoxels() throws Exception {
        SyntheticSeries.Written w = SyntheticSeries.ct().size(16, 16, 4).spacing(20, 20, 5).noise(0, 1).write(dir);
        for (Path f : w.files()) TestFiles.edit(f, l -> TestFiles.set(l, TagFromName.RescaleSlope, "0.5"));

        Volume v = VolumeReader.readSingleSeries(dir);

        assertThat(v.voxelType()).isEqualTo(VoxelType.FLOAT32);
        assertThat(v.int16Voxels()).isNull();
        // stored = HU + 1024: air 24 -> 12 - 1024, lesion 1224 -> 612 - 1024
        assertThat(range(v)).containsExactly(-1012f, 612f - 1024f);
    }

    @Test
    void valuesAboveInt16GiveUint16Voxels() throws Exception {
        SyntheticSeries.Written w = SyntheticSeries.mr().size(32, 32, 4).spacing(6, 6, 6).noise(0, 1).write(dir);
        for (Path f : w.files()) TestFiles.edit(f, l -> TestFiles.set(l, TagFromName.RescaleIntercept, "40000"));

        Volume v = VolumeReader.readSingleSeries(dir);

        assertThat(v.voxelType()).isEqualTo(VoxelType.UINT16);
        assertThat(range(v)).containsExactly(40000f, 41400f);
    }

    static float[] range(Volume v) {
        float lo = Float.POSITIVE_INFINITY, hi = Float.NEGATIVE_INFINITY;
        for (int i = 0; i < v.geometry().voxelCount(); i++) {
            lo = Math.min(lo, v.value(i));
            hi = Math.max(hi, v.value(i));
        }
        return new float[] {lo, hi};
    }

    /** Each slice's grid position equals the Image Position (Patient) of the file it came from (read independently). */
    static void assertSlicePositionsMatchFiles(Volume v, SyntheticSeries.Written w) throws Exception {
        List<String> uids = w.sopInstanceUids();
        for (int z = 0; z < v.geometry().depth(); z++) {
            Path file = w.files().get(uids.indexOf(v.slices().get(z).sopInstanceUid()));
            String[] ipp = DicomHeader.read(file).strings("ImagePositionPatient");
            double[] expected = v.geometry().positionOf(0, 0, z);
            for (int k = 0; k < 3; k++) assertThat(Double.parseDouble(ipp[k])).isCloseTo(expected[k], within(1e-3));
        }
    }
}
