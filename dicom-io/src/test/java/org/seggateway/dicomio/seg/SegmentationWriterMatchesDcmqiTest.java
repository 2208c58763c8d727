package org.seggateway.dicomio.seg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.pixelmed.dicom.AttributeList;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.seggateway.dicomio.header.DicomHeader;
import org.seggateway.dicomio.testing.ExternalTools;
import org.seggateway.dicomio.testing.SharedTestData;

/**
 * Our SEG of the liver label map ({@code liver_seg.nrrd}) on the three real GE CT slices, beside the SEG dcmqi wrote
 * from the same label map ({@code seg-liver.dcm}, {@code ../shared/testdata/dcmqi-ct3slice}): the same referenced
 * instances, segments, frames per segment, per-frame and shared functional groups, dimension indices and voxels, and
 * dciodvfy accepts ours.
 */
class SegmentationWriterMatchesDcmqiTest {
    static final String FOLDER = DcmqiSegmentationsTest.FOLDER;
    static final double MM = 1e-3;

    @TempDir
    Path dir;

    @Test
    void ourLiverSegHasDcmqisStructureAndVoxels() throws Exception {
        DcmqiSegmentationsTest.readCt();
        var ct = DcmqiSegmentationsTest.ct;
        LabelMap liver = DcmqiSegmentationsTest.onCtGrid(NrrdFile.read(SharedTestData.file(FOLDER, "liver_seg.nrrd")));
        SegmentationSource source = new SegmentationSource(ct.geometry(), ct.slices(), ct.header(), ct.seriesInstanceUid(),
                ct.frameOfReferenceUid());
        Code anatomy = new Code("123037004", "SCT", "Anatomical Structure");
        Path ours = dir.resolve("ours.dcm");
        new SegmentationWriter(SegmentationOptions.defaults()).write(source, liver,
                List.of(new SegmentDescription(1, "Liver", anatomy, new Code("10200004", "SCT", "Liver"), "test", "1", null)), ours);
        Path theirs = SharedTestData.file(FOLDER, "seg-liver.dcm");
        SegReadBack o = new SegReadBack(ours), d = new SegReadBack(theirs);

        assertThat(referencedInstances(o)).as("Referenced Series Sequence").isEqualTo(referencedInstances(d)).hasSize(3);
        assertThat(o.items("SegmentSequence")).hasSameSizeAs(d.items("SegmentSequence"));
        assertThat(o.string("NumberOfFrames")).isEqualTo(d.string("NumberOfFrames"));
        assertThat(o.string("SegmentationType")).isEqualTo(d.string("SegmentationType"));
        assertThat(o.string("FrameOfReferenceUID")).isEqualTo(d.string("FrameOfReferenceUID"));

        // Shared: Pixel Measures and Plane Orientation. dcmqi writes Slice Thickness 1.0 (its spacing); the CT says 1.25,
        // which we copy, so only the spacings are compared with dcmqi.
        AttributeList os = SegReadBack.item(o.list, "SharedFunctionalGroupsSequence"), ds = SegReadBack.item(d.list, "SharedFunctionalGroupsSequence");
        AttributeList om = SegReadBack.item(os, "PixelMeasuresSequence"), dm = SegReadBack.item(ds, "PixelMeasuresSequence");
        assertClose(SegReadBack.doubles(om, "PixelSpacing"), SegReadBack.doubles(dm, "PixelSpacing"), "Pixel Spacing");
        assertClose(SegReadBack.doubles(om, "SpacingBetweenSlices"), SegReadBack.doubles(dm, "SpacingBetweenSlices"), "Spacing Between Slices");
        assertThat(SegReadBack.doubles(om, "SliceThickness")[0]).isCloseTo(Double.parseDouble(
                DicomHeader.read(SharedTestData.file(FOLDER, "ct-01.dcm")).string("SliceThickness").trim()), within(MM));
        assertClose(SegReadBack.doubles(SegReadBack.item(os, "PlaneOrientationSequence"), "ImageOrientationPatient"),
                SegReadBack.doubles(SegReadBack.item(ds, "PlaneOrientationSequence"), "ImageOrientationPatient"), "Image Orientation");

        // Dimension Index: the same pointers in the same order
        assertThat(dimensionPointers(o)).isEqualTo(dimensionPointers(d)).hasSize(2);

        // Per frame, matched by the source instance each frame names
        Map<String, AttributeList> ourFrames = framesBySource(o), theirFrames = framesBySource(d);
        assertThat(ourFrames.keySet()).isEqualTo(theirFrames.keySet()).hasSize(3);
        for (String sop : ourFrames.keySet()) {
            AttributeList of = ourFrames.get(sop), df = theirFrames.get(sop);
            AttributeList oSource = sourceImage(of), dSource = sourceImage(df);
            assertThat(SegReadBack.string(oSource, "ReferencedSOPClassUID")).isEqualTo(SegReadBack.string(dSource, "ReferencedSOPClassUID"));
            assertThat(SegReadBack.string(SegReadBack.item(SegReadBack.item(of, "DerivationImageSequence"), "DerivationCodeSequence"), "CodeValue"))
                    .isEqualTo(SegReadBack.string(SegReadBack.item(SegReadBack.item(df, "DerivationImageSequence"), "DerivationCodeSequence"), "CodeValue"));
            assertThat(SegReadBack.string(SegReadBack.item(oSource, "PurposeOfReferenceCodeSequence"), "CodeValue"))
                    .isEqualTo(SegReadBack.string(SegReadBack.item(dSource, "PurposeOfReferenceCodeSequence"), "CodeValue"));
            assertClose(SegReadBack.doubles(SegReadBack.item(of, "PlanePositionSequence"), "ImagePositionPatient"),
                    SegReadBack.doubles(SegReadBack.item(df, "PlanePositionSequence"), "ImagePositionPatient"), "Plane Position of " + sop);
            assertThat(SegReadBack.string(SegReadBack.item(of, "SegmentIdentificationSequence"), "ReferencedSegmentNumber"))
                    .isEqualTo(SegReadBack.string(SegReadBack.item(df, "SegmentIdentificationSequence"), "ReferencedSegmentNumber"));
            assertThat(SegReadBack.longs(SegReadBack.item(of, "FrameContentSequence"), "DimensionIndexValues"))
                    .as("Dimension Index Values of the frame on %s", sop)
                    .containsExactly(SegReadBack.longs(SegReadBack.item(df, "FrameContentSequence"), "DimensionIndexValues"));
        }

        List<SegmentVoxels> ourSegments = SegmentationReader.readSegments(ours, ct.geometry());
        List<SegmentVoxels> theirSegments = SegmentationReader.readSegments(theirs, ct.geometry());
        assertThat(ourSegments).hasSameSizeAs(theirSegments);
        for (int i = 0; i < ourSegments.size(); i++) {
            assertThat(ourSegments.get(i).sourceBySlice()).isEqualTo(theirSegments.get(i).sourceBySlice());
            assertThat(ourSegments.get(i).voxels()).as("voxels of segment %d", i + 1).isEqualTo(theirSegments.get(i).voxels());
        }
        // the GE slices' Patient's Name (JANCT000) is in the retired form: dciodvfy warns on the CT itself, and on every
        // SEG that copies it, dcmqi's too; any other warning fails
        List<String> warnings = ExternalTools.assertDciodvfyHasNoError(ours, "GE liver");
        assertThat(ExternalTools.dciodvfy(SharedTestData.file(FOLDER, "ct-01.dcm")).warnings()).anyMatch(w -> w.contains("Retired Person Name form"));
        assertThat(warnings).allMatch(w -> w.contains("Patient's Name") && w.contains("Retired Person Name form")
                || RoundTripChecks.EXPLAINED_WARNINGS.stream().anyMatch(w::contains));
    }

    private static Map<String, String> referencedInstances(SegReadBack seg) {
        Map<String, String> instances = new TreeMap<>();
        for (AttributeList series : seg.items("ReferencedSeriesSequence"))
            for (AttributeList i : SegReadBack.items(series, "ReferencedInstanceSequence"))
                instances.put(SegReadBack.string(i, "ReferencedSOPInstanceUID"),
                        SegReadBack.string(series, "SeriesInstanceUID") + " " + SegReadBack.string(i, "ReferencedSOPClassUID"));
        return instances;
    }

    private static List<String> dimensionPointers(SegReadBack seg) {
        return seg.items("DimensionIndexSequence").stream()
                .map(i -> SegReadBack.string(i, "DimensionIndexPointer") + "/" + SegReadBack.string(i, "FunctionalGroupPointer"))
                .toList();
    }

    private static Map<String, AttributeList> framesBySource(SegReadBack seg) {
        return seg.items("PerFrameFunctionalGroupsSequence").stream().collect(Collectors.toMap(
                f -> SegReadBack.string(sourceImage(f), "ReferencedSOPInstanceUID"), Function.identity(), (a, b) -> {
                    throw new AssertionError("two frames on one source instance");
                }, TreeMap::new));
    }

    private static AttributeList sourceImage(AttributeList frame) {
        return SegReadBack.item(SegReadBack.item(frame, "DerivationImageSequence"), "SourceImageSequence");
    }

    private static void assertClose(double[] ours, double[] theirs, String what) {
        assertThat(ours).as(what).hasSameSizeAs(theirs);
        for (int i = 0; i < ours.length; i++) assertThat(ours[i]).as(what + "[" + i + "]").isCloseTo(theirs[i], within(MM));
    }
}
