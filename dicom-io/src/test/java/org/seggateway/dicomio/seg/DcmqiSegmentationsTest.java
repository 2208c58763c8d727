package org.seggateway.dicomio.seg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.pixelmed.dicom.AttributeList;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.seggateway.dicomio.testing.SharedTestData;
import org.seggateway.dicomio.volume.DicomFolderScanner;
import org.seggateway.dicomio.volume.FolderScan;
import org.seggateway.dicomio.volume.VolumeException;
import org.seggateway.dicomio.volume.VolumeGeometry;
import org.seggateway.dicomio.volume.VolumeLayout;
import org.seggateway.dicomio.volume.VolumeReader;

/**
 * Our SEG reader and writer against SEGs another tool wrote: dcmqi's {@code seg-liver.dcm} and
 * {@code seg-partial_overlaps.dcm} on three real GE CT slices, and the label map the liver SEG was made from
 * ({@code liver_seg.nrrd}), all in {@code ../shared/testdata/dcmqi-ct3slice}. A misunderstanding shared by our
 * writer and our reader cannot hide here.
 */
class DcmqiSegmentationsTest {
    static final String FOLDER = "dcmqi-ct3slice";
    static final double MM = 1e-3;

    static VolumeLayout ct;
    static Map<String, Integer> sliceOfSop = new HashMap<>();

    @TempDir
    Path dir;

    @BeforeAll
    static void readCt() throws IOException, VolumeException {
        List<Path> files;
        try (Stream<Path> list = Files.list(SharedTestData.folder(FOLDER))) {
            files = list.filter(p -> p.getFileName().toString().startsWith("ct-")).sorted().toList();
        }
        assertThat(files).hasSize(3);
        FolderScan scan = DicomFolderScanner.scanFiles(files, FOLDER);
        assertThat(scan.series()).hasSize(1);
        ct = VolumeReader.layout(scan.series().getFirst());
        assertThat(ct.geometry().depth()).isEqualTo(3);
        for (int z = 0; z < 3; z++) sliceOfSop.put(ct.slices().get(z).sopInstanceUid(), z);
    }

    @Test
    void theLiverSegReadsVoxelForVoxelAsTheNrrdItWasMadeFrom() throws IOException {
        LabelMap fromNrrd = onCtGrid(NrrdFile.read(SharedTestData.file(FOLDER, "liver_seg.nrrd")));
        assertThat(count(fromNrrd.labels(), 1)).as("liver voxels in the NRRD").isGreaterThan(1000);

        Path segFile = SharedTestData.file(FOLDER, "seg-liver.dcm");
        LabelMap read = SegmentationReader.read(segFile, ct.geometry());
        assertThat(mismatches(read.labels(), fromNrrd.labels())).as("voxels where our reader and the NRRD differ").isZero();

        List<SegmentVoxels> segments = SegmentationReader.readSegments(segFile, ct.geometry());
        assertThat(segments).singleElement().satisfies(s -> {
            assertThat(s.segmentNumber()).isEqualTo(1);
            assertThat(s.voxelCount()).isEqualTo(count(fromNrrd.labels(), 1));
            assertFramesLieOnTheirSourceSlices(s);
        });
    }

    @Test
    void theOverlappingSegReadsAsFiveSeparateSegmentsEachFrameOnItsSourceSlice() throws IOException {
        Path segFile = SharedTestData.file(FOLDER, "seg-partial_overlaps.dcm");
        SegReadBack dcmqi = new SegReadBack(segFile);
        List<SegmentVoxels> segments = SegmentationReader.readSegments(segFile, ct.geometry());

        assertThat(segments).extracting(SegmentVoxels::segmentNumber).containsExactly(1, 2, 3, 4, 5);
        List<String> labels = dcmqi.items("SegmentSequence").stream().map(i -> SegReadBack.string(i, "SegmentLabel")).toList();
        assertThat(segments).extracting(SegmentVoxels::label).containsExactlyElementsOf(labels);
        Map<Integer, Integer> framesPerSegment = new TreeMap<>();
        for (AttributeList frame : dcmqi.items("PerFrameFunctionalGroupsSequence"))
            framesPerSegment.merge(Integer.parseInt(SegReadBack.string(SegReadBack.item(frame, "SegmentIdentificationSequence"),
                    "ReferencedSegmentNumber")), 1, Integer::sum);
        for (SegmentVoxels s : segments) {
            assertThat(s.voxelCount()).as("voxels of segment %d", s.segmentNumber()).isPositive();
            assertThat(s.sourceBySlice()).as("frames of segment %d", s.segmentNumber()).hasSize(framesPerSegment.get(s.segmentNumber()));
            assertFramesLieOnTheirSourceSlices(s);
        }
        long overlapping = 0;
        for (int i = 0; i < segments.size(); i++)
            for (int j = i + 1; j < segments.size(); j++) {
                BitSet both = (BitSet) segments.get(i).voxels().clone();
                both.and(segments.get(j).voxels());
                overlapping += both.cardinality();
            }
        assertThat(overlapping).as("voxels shared by two segments (the file's point)").isPositive();

        // the single label map: where segments overlap, the later frame (higher segment here) wins
        LabelMap composite = SegmentationReader.read(segFile, ct.geometry());
        byte[] expected = new byte[composite.labels().length];
        for (SegmentVoxels s : segments) s.voxels().stream().forEach(i -> expected[i] = (byte) s.segmentNumber());
        assertThat(mismatches(composite.labels(), expected)).isZero();
    }

    /** Placed by Image Position, each frame's slice is the one whose instance the frame names as its source. */
    private static void assertFramesLieOnTheirSourceSlices(SegmentVoxels s) {
        assertThat(s.sourceBySlice()).isNotEmpty();
        s.sourceBySlice().forEach((z, sop) -> assertThat(sliceOfSop.get(sop))
                .as("segment %d: frame on slice %d names source %s", s.segmentNumber(), z, sop).isEqualTo(z));
        TreeSet<Integer> slicesWithVoxels = new TreeSet<>();
        int sliceSize = ct.geometry().sliceSize();
        s.voxels().stream().forEach(i -> slicesWithVoxels.add(i / sliceSize));
        assertThat(s.sourceBySlice().keySet()).containsAll(slicesWithVoxels);
    }

    /**
     * The NRRD's samples placed on the CT grid by their physical positions, after checking the NRRD's space, origin,
     * directions and size against the CT's geometry (no sample may fall between or outside the CT's voxels).
     */
    static LabelMap onCtGrid(NrrdFile nrrd) {
        VolumeGeometry g = ct.geometry();
        assertThat(nrrd.fields().get("space")).isIn("left-posterior-superior", "right-anterior-superior", "LPS", "RAS");
        assertThat(nrrd.sizes()).containsExactly(g.width(), g.height(), g.depth());
        for (int k = 0; k < 3; k++) {
            double[] step = nrrd.directions()[k];
            double length = Math.sqrt(step[0] * step[0] + step[1] * step[1] + step[2] * step[2]);
            assertThat(length).as("NRRD spacing along axis %d", k).isCloseTo(g.spacing()[k], within(MM));
            double[] axis = g.axis(k);
            assertThat(Math.abs(step[0] * axis[0] + step[1] * axis[1] + step[2] * axis[2]) / length)
                    .as("NRRD axis %d parallel to the CT's", k).isCloseTo(1.0, within(1e-6));
        }
        byte[] labels = new byte[Math.toIntExact(g.voxelCount())];
        double[] origin = g.origin();
        for (int k = 0; k < nrrd.sizes()[2]; k++)
            for (int j = 0; j < nrrd.sizes()[1]; j++)
                for (int i = 0; i < nrrd.sizes()[0]; i++) {
                    double[] p = nrrd.position(i, j, k);
                    int[] index = new int[3];
                    for (int a = 0; a < 3; a++) {
                        double[] axis = g.axis(a);
                        double along = 0;
                        for (int r = 0; r < 3; r++) along += (p[r] - origin[r]) * axis[r];
                        double voxel = along / g.spacing()[a];
                        index[a] = (int) Math.round(voxel);
                        if (Math.abs(voxel - index[a]) > 1e-3 || index[a] < 0 || index[a] >= new int[] {g.width(), g.height(), g.depth()}[a])
                            throw new AssertionError("NRRD sample " + i + "," + j + "," + k + " at " + java.util.Arrays.toString(p)
                                    + " is not a voxel centre of the CT grid " + g);
                    }
                    labels[index[0] + g.width() * (index[1] + g.height() * index[2])] = (byte) nrrd.value(i, j, k);
                }
        return new LabelMap(g.width(), g.height(), g.depth(), labels);
    }

    static int count(byte[] labels, int value) {
        int n = 0;
        for (byte b : labels) if ((b & 0xFF) == value) n++;
        return n;
    }

    static int mismatches(byte[] a, byte[] b) {
        assertThat(a.length).isEqualTo(b.length);
        int n = 0;
        for (int i = 0; i < a.length; i++) if (a[i] != b[i]) n++;
        return n;
    }
}
