package org.seggateway.dicomio.seg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.pixelmed.dicom.AttributeList;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.seggateway.dicomio.header.DicomHeader;
import org.seggateway.dicomio.synthetic.SyntheticSeries;
import org.seggateway.dicomio.uid.UidGenerator;
import org.seggateway.dicomio.volume.SliceSource;
import org.seggateway.dicomio.volume.Volume;
import org.seggateway.dicomio.volume.VoxelType;

/** Attribute-level checks of written SEGs, read back with the toolkit; every SEG also goes through dciodvfy. */
class SegmentationWriterTest {

    @TempDir
    Path dir;

    SyntheticSeries.Written written;
    SegmentationSource source;
    LabelMap labels;

    @BeforeEach
    void series() throws IOException {
        written = SyntheticSeries.ct().size(40, 48, 24).spacing(4, 4, 4).noise(0, 1).write(dir.resolve("ct"));
        source = TestSeries.source(written);
        labels = TestSeries.fiveSegmentLabels(source.geometry());
    }

    @Test
    void copiesPatientAndStudyAndStartsANewSeriesWithOurEquipmentAndUids() throws IOException {
        String root = "1.2.826.0.1.3680043.10.999";
        SegmentationOptions options = SegmentationOptions.defaults().withSeries(77, "Liver AI")
                .withContent("LIVER_SEG", "Liver and lesions", "Gateway^Robot")
                .withEquipment("Example Hospital IT", "seg-gateway", "node-7", "2.0.1")
                .withUids(new UidGenerator(root));
        Path out = dir.resolve("seg.dcm");
        WrittenSegmentation result = new SegmentationWriter(options).write(source, labels, TestSeries.fiveSegments(), out);
        SegReadBack seg = new SegReadBack(out);
        DicomHeader ct = DicomHeader.read(written.files().getFirst());

        assertThat(seg.string("SOPClassUID")).isEqualTo("1.2.840.10008.5.1.4.1.1.66.4");
        assertThat(seg.string("Modality")).isEqualTo("SEG");
        assertThat(seg.string("SegmentationType")).isEqualTo("BINARY");
        for (String keyword : List.of("PatientName", "PatientID", "PatientBirthDate", "PatientSex", "StudyInstanceUID",
                "StudyDate", "AccessionNumber", "StudyID", "StudyDescription"))
            assertThat(seg.string(keyword)).as(keyword).isEqualTo(ct.string(keyword)).isNotEmpty();
        assertThat(seg.string("FrameOfReferenceUID")).isEqualTo(written.frameOfReferenceUid());
        assertThat(seg.string("SeriesInstanceUID")).isEqualTo(result.seriesInstanceUid()).isNotEqualTo(written.seriesInstanceUid())
                .startsWith(root + ".");
        assertThat(seg.string("SOPInstanceUID")).isEqualTo(result.sopInstanceUid()).startsWith(root + ".");
        assertThat(seg.string("SeriesNumber")).isEqualTo("77");
        assertThat(seg.string("SeriesDescription")).isEqualTo("Liver AI");
        assertThat(seg.string("ContentLabel")).isEqualTo("LIVER_SEG");
        assertThat(seg.string("ContentDescription")).isEqualTo("Liver and lesions");
        assertThat(seg.string("ContentCreatorName")).isEqualTo("Gateway^Robot");
        assertThat(seg.string("Manufacturer")).isEqualTo("Example Hospital IT");
        assertThat(seg.string("ManufacturerModelName")).isEqualTo("seg-gateway");
        assertThat(seg.string("DeviceSerialNumber")).isEqualTo("node-7");
        assertThat(seg.string("SoftwareVersions")).isEqualTo("2.0.1");
        assertThat(seg.string("Rows")).isEqualTo("40");
        assertThat(seg.string("Columns")).isEqualTo("48");
        assertThat(seg.string("BitsAllocated")).isEqualTo("1");
        RoundTripChecks.assertDciodvfyClean(out, "options");
    }

    @Test
    void pairedStructuresCarryTheirSideAsTypeModifier() throws IOException {
        Code category = new Code("123037004", "SCT", "Anatomical Structure"), kidney = new Code("64033007", "SCT", "Kidney");
        Code left = new Code("7771000", "SCT", "Left");
        List<SegmentDescription> segments = new java.util.ArrayList<>(TestSeries.fiveSegments());
        segments.set(0, new SegmentDescription(1, "kidney_left", category, kidney, "test-unet", "1.2.3", null, left));
        Path out = dir.resolve("seg.dcm");
        new SegmentationWriter(SegmentationOptions.defaults()).write(source, labels, segments, out);
        List<AttributeList> items = new SegReadBack(out).items("SegmentSequence");

        AttributeList type = SegReadBack.item(items.get(0), "SegmentedPropertyTypeCodeSequence");
        assertCode(type, kidney);
        assertCode(SegReadBack.item(type, "SegmentedPropertyTypeModifierCodeSequence"), left);
        assertThat(SegReadBack.items(SegReadBack.item(items.get(1), "SegmentedPropertyTypeCodeSequence"),
                "SegmentedPropertyTypeModifierCodeSequence")).isEmpty();
        RoundTripChecks.assertDciodvfyClean(out, "type modifier");
    }

    @Test
    void describesEverySegmentWithItsCodesAlgorithmAndColour() throws IOException {
        Path out = dir.resolve("seg.dcm");
        new SegmentationWriter(SegmentationOptions.defaults()).write(source, labels, TestSeries.fiveSegments(), out);
        List<AttributeList> items = new SegReadBack(out).items("SegmentSequence");

        assertThat(items).hasSize(5);
        for (int i = 0; i < 5; i++) {
            SegmentDescription expected = TestSeries.fiveSegments().get(i);
            AttributeList item = items.get(i);
            assertThat(SegReadBack.string(item, "SegmentNumber")).isEqualTo(Integer.toString(expected.labelValue()));
            assertThat(SegReadBack.string(item, "SegmentLabel")).isEqualTo(expected.label());
            assertThat(SegReadBack.string(item, "SegmentAlgorithmType")).isEqualTo("AUTOMATIC");
            assertThat(SegReadBack.string(item, "SegmentAlgorithmName")).isEqualTo("test-unet");
            assertCode(SegReadBack.item(item, "SegmentedPropertyCategoryCodeSequence"), expected.category());
            assertCode(SegReadBack.item(item, "SegmentedPropertyTypeCodeSequence"), expected.type());
            AttributeList algorithm = SegReadBack.item(item, "SegmentationAlgorithmIdentificationSequence");
            assertThat(SegReadBack.string(algorithm, "AlgorithmName")).isEqualTo("test-unet");
            assertThat(SegReadBack.string(algorithm, "AlgorithmVersion")).isEqualTo("1.2.3");
            assertCode(SegReadBack.item(algorithm, "AlgorithmFamilyCodeSequence"),
                    new Code("123110", "DCM", "Artificial Intelligence"));
            assertThat(SegReadBack.string(item, "RecommendedDisplayCIELabValue")).as("colour of segment %d", i + 1)
                    .matches(expected.rgb() == null ? "" : "\\d+\\\\\\d+\\\\\\d+");
        }
    }

    @Test
    void framesAreSegmentMajorThenSliceOrderAndReferenceTheirSourceSlice() throws IOException {
        Path out = dir.resolve("seg.dcm");
        WrittenSegmentation result = new SegmentationWriter(SegmentationOptions.defaults())
                .write(source, labels, TestSeries.fiveSegments(), out);
        SegReadBack seg = new SegReadBack(out);

        // expected frames computed straight from the label map
        List<long[]> expected = new ArrayList<>();
        int sliceSize = labels.width() * labels.height();
        for (int value = 1; value <= 5; value++)
            for (int z = 0; z < labels.depth(); z++)
                for (int i = 0; i < sliceSize; i++)
                    if ((labels.labels()[z * sliceSize + i] & 0xFF) == value) {
                        expected.add(new long[] {value, z + 1});
                        break;
                    }
        List<AttributeList> frames = seg.items("PerFrameFunctionalGroupsSequence");
        assertThat(frames).hasSize(expected.size());
        assertThat(result.frameCount()).isEqualTo(expected.size());
        assertThat(seg.string("NumberOfFrames")).isEqualTo(Integer.toString(expected.size()));
        for (int f = 0; f < frames.size(); f++) {
            AttributeList groups = frames.get(f);
            long[] dimension = SegReadBack.longs(SegReadBack.item(groups, "FrameContentSequence"), "DimensionIndexValues");
            assertThat(dimension).as("frame %d dimension index values", f + 1).containsExactly(expected.get(f));
            int segment = (int) dimension[0], z = (int) dimension[1] - 1;
            assertThat(SegReadBack.string(SegReadBack.item(groups, "SegmentIdentificationSequence"), "ReferencedSegmentNumber"))
                    .isEqualTo(Integer.toString(segment));
            AttributeList derivation = SegReadBack.item(groups, "DerivationImageSequence");
            assertCode(SegReadBack.item(derivation, "DerivationCodeSequence"), new Code("113076", "DCM", "Segmentation"));
            AttributeList sourceImage = SegReadBack.item(derivation, "SourceImageSequence");
            assertThat(SegReadBack.string(sourceImage, "ReferencedSOPInstanceUID")).isEqualTo(written.sopInstanceUids().get(z));
            assertThat(SegReadBack.string(sourceImage, "ReferencedSOPClassUID")).isEqualTo("1.2.840.10008.5.1.4.1.1.2");
            assertThat(SegReadBack.string(sourceImage, "ReferencedFrameNumber")).isEmpty();
            assertCode(SegReadBack.item(sourceImage, "PurposeOfReferenceCodeSequence"),
                    new Code("121322", "DCM", "Source image for image processing operation"));
            double[] position = SegReadBack.doubles(SegReadBack.item(groups, "PlanePositionSequence"), "ImagePositionPatient");
            double[] ipp = TestSeries.doubles(DicomHeader.read(written.files().get(z)).strings("ImagePositionPatient"));
            for (int k = 0; k < 3; k++) assertThat(position[k]).isCloseTo(ipp[k], within(1e-5));
        }
        AttributeList shared = seg.items("SharedFunctionalGroupsSequence").getFirst();
        assertThat(SegReadBack.string(SegReadBack.item(shared, "PixelMeasuresSequence"), "PixelSpacing")).isEqualTo("4\\4");
        assertThat(SegReadBack.string(SegReadBack.item(shared, "PixelMeasuresSequence"), "SpacingBetweenSlices")).isEqualTo("4");
        assertThat(SegReadBack.string(SegReadBack.item(shared, "PlaneOrientationSequence"), "ImageOrientationPatient"))
                .isEqualTo("1\\0\\0\\0\\1\\0");

        List<AttributeList> dimensions = seg.items("DimensionIndexSequence");
        assertThat(dimensions).extracting(d -> SegReadBack.string(d, "DimensionIndexPointer"))
                .containsExactly("(0x0062,0x000b)", "(0x0020,0x0032)");
        String organization = SegReadBack.string(seg.items("DimensionOrganizationSequence").getFirst(), "DimensionOrganizationUID");
        assertThat(dimensions).allMatch(d -> SegReadBack.string(d, "DimensionOrganizationUID").equals(organization));

        AttributeList referenced = SegReadBack.item(seg.list, "ReferencedSeriesSequence");
        assertThat(SegReadBack.string(referenced, "SeriesInstanceUID")).isEqualTo(written.seriesInstanceUid());
        assertThat(SegReadBack.items(referenced, "ReferencedInstanceSequence"))
                .extracting(i -> SegReadBack.string(i, "ReferencedSOPInstanceUID"))
                .containsExactlyElementsOf(written.sopInstanceUids());
    }

    @Test
    void framesOfAMultiFrameSourceReferenceTheirFrameNumber() throws IOException {
        String enhanced = new UidGenerator().next();
        List<SliceSource> frames = new ArrayList<>();
        for (int z = 0; z < source.geometry().depth(); z++)
            frames.add(new SliceSource("1.2.840.10008.5.1.4.1.1.2.1", enhanced, z + 1));
        SegmentationSource multiFrame = new SegmentationSource(source.geometry(), frames, source.header(),
                source.seriesInstanceUid(), source.frameOfReferenceUid());
        Path out = dir.resolve("seg.dcm");
        new SegmentationWriter(SegmentationOptions.defaults()).write(multiFrame, labels, TestSeries.fiveSegments(), out);
        SegReadBack seg = new SegReadBack(out);

        for (AttributeList groups : seg.items("PerFrameFunctionalGroupsSequence")) {
            long z = SegReadBack.longs(SegReadBack.item(groups, "FrameContentSequence"), "DimensionIndexValues")[1] - 1;
            AttributeList sourceImage = SegReadBack.item(SegReadBack.item(groups, "DerivationImageSequence"), "SourceImageSequence");
            assertThat(SegReadBack.string(sourceImage, "ReferencedSOPInstanceUID")).isEqualTo(enhanced);
            assertThat(SegReadBack.string(sourceImage, "ReferencedFrameNumber")).isEqualTo(Long.toString(z + 1));
        }
        AttributeList referenced = SegReadBack.item(seg.list, "ReferencedSeriesSequence");
        assertThat(SegReadBack.items(referenced, "ReferencedInstanceSequence")).hasSize(1);
        RoundTripChecks.assertDciodvfyClean(out, "multi-frame source");
    }

    @Test
    void givesNoFrameToASliceWithoutSourceImage() throws IOException {
        // as the volume reader does for a missing instance: slice 5 interpolated, no source to reference
        int missing = 5, sliceSize = labels.width() * labels.height();
        Files.delete(written.files().get(missing));
        List<org.seggateway.dicomio.volume.SliceSource> slices = new ArrayList<>(source.slices());
        slices.set(missing, new org.seggateway.dicomio.volume.SliceSource(null, null, 0));
        SegmentationSource withGap = new SegmentationSource(source.geometry(), slices, source.header(),
                source.seriesInstanceUid(), source.frameOfReferenceUid());
        Path out = dir.resolve("seg.dcm");
        WrittenSegmentation result = new SegmentationWriter(SegmentationOptions.defaults())
                .write(withGap, labels, TestSeries.fiveSegments(), out);
        SegReadBack seg = new SegReadBack(out);

        long onMissing = 0;
        for (int i = missing * sliceSize; i < (missing + 1) * sliceSize; i++) if (labels.labels()[i] != 0) onMissing++;
        assertThat(onMissing).isPositive();
        assertThat(result.voxelsLeftOut()).isEqualTo(onMissing);
        assertThat(seg.items("PerFrameFunctionalGroupsSequence"))
                .noneMatch(g -> SegReadBack.longs(SegReadBack.item(g, "FrameContentSequence"), "DimensionIndexValues")[1] == missing + 1);
        assertThat(SegReadBack.items(SegReadBack.item(seg.list, "ReferencedSeriesSequence"), "ReferencedInstanceSequence"))
                .hasSize(labels.depth() - 1);
        RoundTripChecks.assertDciodvfyClean(out, "slice without source");
        byte[] expected = new byte[sliceSize * (labels.depth() - 1)];
        System.arraycopy(labels.labels(), 0, expected, 0, missing * sliceSize);
        System.arraycopy(labels.labels(), (missing + 1) * sliceSize, expected, missing * sliceSize,
                expected.length - missing * sliceSize);
        RoundTripChecks.assertPydicomRebuilds(out, written.directory(),
                new LabelMap(labels.width(), labels.height(), labels.depth() - 1, expected), dir);
    }

    @Test
    void keepsDescribedSegmentsThatAreAbsentWithoutFrames() throws IOException {
        List<SegmentDescription> six = new ArrayList<>(TestSeries.fiveSegments());
        six.add(TestSeries.segment(9, "Pancreas", new Code("123037004", "SCT", "Anatomical Structure"),
                new Code("15776009", "SCT", "Pancreas"), null));
        Path out = dir.resolve("seg.dcm");
        WrittenSegmentation result = new SegmentationWriter(SegmentationOptions.defaults()).write(source, labels, six, out);
        SegReadBack seg = new SegReadBack(out);

        assertThat(result.segmentsWithoutFrames()).containsExactly(9);
        assertThat(result.segmentNumbers()).containsEntry(9, 6);
        assertThat(seg.items("SegmentSequence")).extracting(i -> SegReadBack.string(i, "SegmentNumber") + " "
                + SegReadBack.string(i, "SegmentLabel")).containsExactly("1 Liver", "2 Lesion", "3 Spleen", "4 Kidney",
                "5 Gallbladder", "6 Pancreas");
        assertThat(seg.items("PerFrameFunctionalGroupsSequence"))
                .noneMatch(g -> SegReadBack.string(SegReadBack.item(g, "SegmentIdentificationSequence"), "ReferencedSegmentNumber").equals("6"));
        RoundTripChecks.assertDciodvfyClean(out, "absent segment");
    }

    @Test
    void numbersSegmentsOneToNInLabelValueOrderWhateverTheLabelValues() throws IOException {
        int[] values = {0, 200, 3, 17, 255, 42}; // label 1 becomes 200, 2 becomes 3, ...
        byte[] remapped = labels.labels().clone();
        for (int i = 0; i < remapped.length; i++) remapped[i] = (byte) values[remapped[i]];
        List<SegmentDescription> segments = new ArrayList<>();
        for (SegmentDescription s : TestSeries.fiveSegments())
            segments.add(new SegmentDescription(values[s.labelValue()], s.label(), s.category(), s.type(),
                    s.algorithmName(), s.algorithmVersion(), s.rgb()));
        Path out = dir.resolve("seg.dcm");
        WrittenSegmentation result = new SegmentationWriter(SegmentationOptions.defaults()).write(source,
                new LabelMap(labels.width(), labels.height(), labels.depth(), remapped), segments.reversed(), out);

        assertThat(result.segmentNumbers()).containsExactly(java.util.Map.entry(3, 1), java.util.Map.entry(17, 2),
                java.util.Map.entry(42, 3), java.util.Map.entry(200, 4), java.util.Map.entry(255, 5));
        assertThat(new SegReadBack(out).items("SegmentSequence")).extracting(i -> SegReadBack.string(i, "SegmentLabel"))
                .containsExactly("Lesion", "Spleen", "Gallbladder", "Liver", "Kidney");
        RoundTripChecks.assertDciodvfyClean(out, "label values 3..255");
        // pydicom rebuilds segment numbers: label value v comes back as segmentNumbers[v]
        byte[] expected = remapped.clone();
        for (int i = 0; i < expected.length; i++)
            if (expected[i] != 0) expected[i] = (byte) (int) result.segmentNumbers().get(expected[i] & 0xFF);
        RoundTripChecks.assertPydicomRebuilds(out, written.directory(),
                new LabelMap(labels.width(), labels.height(), labels.depth(), expected), dir);
    }

    @Test
    void anEmptyLabelMapGivesOneEmptyFrame() throws IOException {
        LabelMap empty = new LabelMap(labels.width(), labels.height(), labels.depth(), new byte[labels.labels().length]);
        Path out = dir.resolve("seg.dcm");
        WrittenSegmentation result = new SegmentationWriter(SegmentationOptions.defaults())
                .write(source, empty, TestSeries.fiveSegments(), out);
        SegReadBack seg = new SegReadBack(out);

        assertThat(result.frameCount()).isEqualTo(1);
        assertThat(result.segmentsWithoutFrames()).containsExactly(1, 2, 3, 4, 5);
        assertThat(seg.pixelData()).hasSize(40 * 48 / 8).containsOnly(0);
        RoundTripChecks.assertDciodvfyClean(out, "empty label map");
        RoundTripChecks.assertPydicomRebuilds(out, written.directory(), empty, dir);
    }

    @Test
    void rejectsLabelsThatNoSegmentDescribes() {
        Path out = dir.resolve("seg.dcm");
        List<SegmentDescription> onlyLiver = TestSeries.fiveSegments().subList(0, 1);
        assertThatThrownBy(() -> new SegmentationWriter(SegmentationOptions.defaults()).write(source, labels, onlyLiver, out))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(written.seriesInstanceUid()).hasMessageContaining("[2, 3, 4, 5]");
        assertThat(out).doesNotExist();
    }

    @Test
    void rejectsALabelMapOfAnotherGrid() {
        LabelMap other = new LabelMap(labels.width(), labels.height(), labels.depth() - 1,
                new byte[labels.width() * labels.height() * (labels.depth() - 1)]);
        assertThatThrownBy(() -> new SegmentationWriter(SegmentationOptions.defaults())
                .write(source, other, TestSeries.fiveSegments(), dir.resolve("seg.dcm")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("48x40x23").hasMessageContaining("48x40x24").hasMessageContaining(written.seriesInstanceUid());
    }

    @Test
    void rejectsDuplicateLabelValuesAndSegmentsWithoutAlgorithmName() {
        Code anatomy = new Code("123037004", "SCT", "Anatomical Structure"), liver = new Code("10200004", "SCT", "Liver");
        SegmentationWriter writer = new SegmentationWriter(SegmentationOptions.defaults());
        List<SegmentDescription> twice = List.of(TestSeries.segment(1, "Liver", anatomy, liver, null),
                TestSeries.segment(1, "Liver again", anatomy, liver, null));
        assertThatThrownBy(() -> writer.write(source, labels, twice, dir.resolve("a.dcm")))
                .hasMessageContaining("label value 1 is described twice");
        List<SegmentDescription> anonymous = List.of(new SegmentDescription(1, "Liver", anatomy, liver, null, null, null));
        assertThatThrownBy(() -> writer.write(source, labels, anonymous, dir.resolve("b.dcm")))
                .hasMessageContaining("segment 1 (Liver)").hasMessageContaining("algorithm name");
    }

    @Test
    void rejectsAContentLabelThatIsNotACodeString() {
        assertThatThrownBy(() -> SegmentationOptions.defaults().withContent("liver seg", "x", ""))
                .hasMessageContaining("content label");
    }

    @Test
    void sourceFromAVolumeKeepsItsGridSlicesAndUids() {
        Volume volume = new Volume(source.seriesInstanceUid(), source.frameOfReferenceUid(), source.geometry(),
                source.slices(), source.header(), VoxelType.INT16,
                new short[Math.toIntExact(source.geometry().voxelCount())], null, List.of());
        SegmentationSource fromVolume = SegmentationSource.of(volume);
        assertThat(fromVolume).isEqualTo(source);
    }

    private static void assertCode(AttributeList item, Code expected) {
        assertThat(SegReadBack.string(item, "CodeValue")).isEqualTo(expected.value());
        assertThat(SegReadBack.string(item, "CodingSchemeDesignator")).isEqualTo(expected.scheme());
        assertThat(SegReadBack.string(item, "CodeMeaning")).isEqualTo(expected.meaning());
    }
}
