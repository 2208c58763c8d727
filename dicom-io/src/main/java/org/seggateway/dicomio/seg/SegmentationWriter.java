package org.seggateway.dicomio.seg;

import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.CodedSequenceItem;
import com.pixelmed.dicom.DicomException;
import com.pixelmed.dicom.FileMetaInformation;
import com.pixelmed.dicom.SOPClass;
import com.pixelmed.dicom.SequenceAttribute;
import com.pixelmed.dicom.TransferSyntax;
import com.pixelmed.utils.ColorUtilities;
import java.io.BufferedOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.seggateway.dicomio.volume.SliceSource;
import org.seggateway.dicomio.volume.VolumeGeometry;

/**
 * Writes a label map as a DICOM Segmentation Storage object (1.2.840.10008.5.1.4.1.1.66.4), Segmentation
 * Type BINARY, Explicit VR Little Endian.
 *
 * <p>Segments are numbered 1..n in ascending label value (a BINARY SEG needs consecutive Segment Numbers),
 * so Segment Number equals the label value when the labels are 1..n; {@link WrittenSegmentation} gives
 * the mapping. One frame per slice on which a segment has at least one voxel, ordered by segment number
 * and then by slice (z). Each frame references the exact source instance (and frame, for a multi-frame source) of
 * its slice and carries that slice's plane position, computed from the volume grid. Dimension Index
 * Values are (segment number, z + 1), z being the slice's index in the source series. Segments that are
 * described but absent from the label map stay in the Segment Sequence without frames; an all-empty
 * label map gets a single empty frame (a SEG needs at least one), see {@link FramePlan}. Slices without a
 * source image (interpolated by the volume reader for a missing instance) get no frame, since a frame
 * must reference its source; {@link WrittenSegmentation#voxelsLeftOut()} counts the voxels lost so, and
 * {@link WrittenSegmentation#labelsLeftOut()} says which labels lost them.
 *
 * <p>Patient, study and frame of reference come from the source header; series, equipment and content
 * identification from {@link SegmentationOptions}. Every segment is AUTOMATIC with its algorithm's name
 * and version. The pixel data is streamed to the file frame by frame after the header, so memory beyond
 * the label map is the header and a 64 KiB buffer. The file appears atomically when complete.
 */
public final class SegmentationWriter {

    static final String TRANSFER_SYNTAX = TransferSyntax.ExplicitVRLittleEndian;
    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("yyyyMMdd");
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HHmmss.SSS");

    private final SegmentationOptions options;

    public SegmentationWriter(SegmentationOptions options) {
        this.options = options;
    }

    public WrittenSegmentation write(SegmentationSource source, LabelMap labels, List<SegmentDescription> segments,
                                     Path out) throws IOException {
        VolumeGeometry g = source.geometry();
        if (labels.width() != g.width() || labels.height() != g.height() || labels.depth() != g.depth())
            throw new IllegalArgumentException("label map of " + labels.width() + "x" + labels.height() + "x"
                    + labels.depth() + " does not match the grid of series " + source.seriesInstanceUid() + ": "
                    + g.width() + "x" + g.height() + "x" + g.depth());
        List<SegmentDescription> sorted = checkedSegments(segments, source.seriesInstanceUid());
        boolean[] hasSource = new boolean[g.depth()];
        for (int z = 0; z < hasSource.length; z++) hasSource[z] = hasSourceImage(source.slices().get(z));
        FramePlan plan = FramePlan.of(labels, sorted, hasSource, source.seriesInstanceUid());

        String sopInstanceUid = options.uids().next(), seriesInstanceUid = options.uids().next();
        AttributeList header;
        try {
            header = header(source, sorted, plan, sopInstanceUid, seriesInstanceUid);
        } catch (DicomException e) {
            throw new IOException("cannot build the SEG header for series " + source.seriesInstanceUid() + ": "
                    + e.getMessage(), e);
        }

        Path target = out.toAbsolutePath();
        Path temporary = target.resolveSibling(target.getFileName() + ".partial");
        try (OutputStream os = new BufferedOutputStream(Files.newOutputStream(temporary), 1 << 16)) {
            // the toolkit closes the stream it writes to; the pixel data still has to follow the header
            header.write(new FilterOutputStream(os) {
                @Override
                public void write(byte[] b, int off, int len) throws IOException {
                    out.write(b, off, len);
                }

                @Override
                public void close() throws IOException {
                    flush();
                }
            }, TRANSFER_SYNTAX, true, false, false);
            writePixelData(os, labels, plan);
        } catch (DicomException | IOException e) {
            Files.deleteIfExists(temporary);
            throw new IOException("cannot write SEG " + target + ": " + e.getMessage(), e);
        }
        Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        Map<Integer, Integer> segmentNumbers = new LinkedHashMap<>();
        for (int n = 0; n < sorted.size(); n++) segmentNumbers.put(sorted.get(n).labelValue(), n + 1);
        return new WrittenSegmentation(target, sopInstanceUid, seriesInstanceUid, plan.frames().size(),
                Files.size(target), segmentNumbers, plan.segmentsWithoutFrames(), plan.voxelsOnSlicesWithoutSource(),
                plan.labelsLeftOut());
    }

    /** False for a slice the volume reader interpolated because the series lacks its instance. */
    private static boolean hasSourceImage(SliceSource slice) {
        return !slice.isInterpolated();
    }

    private static List<SegmentDescription> checkedSegments(List<SegmentDescription> segments, String seriesUid) {
        if (segments.isEmpty())
            throw new IllegalArgumentException("a SEG of series " + seriesUid + " needs at least one segment description");
        Set<Integer> seen = new HashSet<>();
        for (SegmentDescription s : segments) {
            if (!seen.add(s.labelValue()))
                throw new IllegalArgumentException("label value " + s.labelValue() + " is described twice");
            if (s.algorithmName() == null || s.algorithmName().isBlank())
                throw new IllegalArgumentException("segment " + s.labelValue() + " (" + s.label()
                        + "): an AUTOMATIC segment needs an algorithm name");
        }
        return segments.stream().sorted(Comparator.comparingInt(SegmentDescription::labelValue)).toList();
    }

    /** Pixel Data (7FE0,0010) OB with an explicit length, written after the header as the last element. */
    private static void writePixelData(OutputStream os, LabelMap labels, FramePlan plan) throws IOException {
        int pixels = labels.width() * labels.height();
        long length = BitPackedFrames.valueLength(plan.frames().size(), pixels);
        if (length > 0xFFFFFFFEL) throw new IOException("pixel data of " + length + " bytes exceeds one OB value");
        ByteBuffer element = ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN);
        element.putShort((short) 0x7FE0).putShort((short) 0x0010).put((byte) 'O').put((byte) 'B').putShort((short) 0)
                .putInt((int) length);
        os.write(element.array());
        BitPackedFrames packed = new BitPackedFrames(os);
        for (FramePlan.Frame f : plan.frames())
            packed.writeFrame(labels.labels(), f.z() * pixels, pixels, f.labelValue());
        long written = packed.finish();
        if (written != length) throw new IllegalStateException("wrote " + written + " pixel bytes, announced " + length);
    }

    private AttributeList header(SegmentationSource source, List<SegmentDescription> segments, FramePlan plan,
                                 String sopInstanceUid, String seriesInstanceUid) throws DicomException {
        AttributeList list = new AttributeList();
        Elements e = Elements.into(list);
        VolumeGeometry g = source.geometry();
        AttributeList sourceHeader = source.header().attributeList();

        // Patient, Clinical Trial Subject, General Study, Patient Study, Clinical Trial Study: from the source
        SourceStudy.copyInto(list, sourceHeader, source.seriesInstanceUid());

        LocalDateTime now = LocalDateTime.now();
        String date = DATE.format(now), time = TIME.format(now);

        // SOP Common
        e.uid("SOPClassUID", SOPClass.SegmentationStorage).uid("SOPInstanceUID", sopInstanceUid)
                .da("InstanceCreationDate", date).tm("InstanceCreationTime", time);
        // General Series, Segmentation Series
        e.cs("Modality", "SEG").uid("SeriesInstanceUID", seriesInstanceUid).is("SeriesNumber", options.seriesNumber())
                .lo("SeriesDescription", options.seriesDescription()).da("SeriesDate", date).tm("SeriesTime", time);
        // Frame of Reference: the source's, so that viewers overlay the SEG on it
        e.uid("FrameOfReferenceUID", source.frameOfReferenceUid())
                .lo("PositionReferenceIndicator", source.header().string("PositionReferenceIndicator"));
        // General Equipment, Enhanced General Equipment: this gateway
        e.lo("Manufacturer", options.manufacturer()).lo("ManufacturerModelName", options.manufacturerModelName())
                .lo("DeviceSerialNumber", options.deviceSerialNumber()).lo("SoftwareVersions", options.softwareVersion());
        // General Image, Segmentation Image (with Content Identification)
        e.cs("ImageType", "DERIVED", "PRIMARY").is("InstanceNumber", 1)
                .cs("ContentLabel", options.contentLabel()).lo("ContentDescription", options.contentDescription())
                .pn("ContentCreatorName", options.contentCreatorName()).da("ContentDate", date).tm("ContentTime", time)
                .cs("SegmentationType", "BINARY").cs("SegmentsOverlap", "NO");
        // Image Pixel: 1 bit per pixel
        e.us("SamplesPerPixel", 1).cs("PhotometricInterpretation", "MONOCHROME2").us("Rows", g.height())
                .us("Columns", g.width()).us("BitsAllocated", 1).us("BitsStored", 1).us("HighBit", 0)
                .us("PixelRepresentation", 0).cs("LossyImageCompression", "00");

        segmentSequence(e, segments);
        String dimensionOrganizationUid = options.uids().next();
        dimensions(e, dimensionOrganizationUid);
        sharedFunctionalGroups(e, source);
        perFrameFunctionalGroups(e, source, plan);
        e.is("NumberOfFrames", plan.frames().size());
        referencedSeries(e, source);

        list.insertSuitableSpecificCharacterSetForAllStringValues();
        FileMetaInformation.addFileMetaInformation(list, TRANSFER_SYNTAX, "SEGGATEWAY");
        return list;
    }

    private static void segmentSequence(Elements e, List<SegmentDescription> segments) throws DicomException {
        SequenceAttribute sequence = e.sequence("SegmentSequence");
        for (int n = 0; n < segments.size(); n++) {
            SegmentDescription s = segments.get(n);
            AttributeList item = new AttributeList();
            Elements.into(item).us("SegmentNumber", n + 1).lo("SegmentLabel", s.label())
                    .cs("SegmentAlgorithmType", "AUTOMATIC").lo("SegmentAlgorithmName", s.algorithmName())
                    .sequence("SegmentedPropertyCategoryCodeSequence", code(s.category()));
            AttributeList type = code(s.type());
            if (s.typeModifier() != null)
                Elements.into(type).sequence("SegmentedPropertyTypeModifierCodeSequence", code(s.typeModifier()));
            Elements.into(item).sequence("SegmentedPropertyTypeCodeSequence", type);
            if (s.algorithmVersion() != null && !s.algorithmVersion().isBlank()) {
                AttributeList algorithm = new AttributeList();
                Elements.into(algorithm).lo("AlgorithmName", s.algorithmName()).lo("AlgorithmVersion", s.algorithmVersion())
                        .sequence("AlgorithmFamilyCodeSequence",
                                new CodedSequenceItem("123110", "DCM", "Artificial Intelligence").getAttributeList());
                Elements.into(item).sequence("SegmentationAlgorithmIdentificationSequence", algorithm);
            }
            if (s.rgb() != null)
                Elements.into(item).us("RecommendedDisplayCIELabValue", ColorUtilities.getIntegerScaledCIELabPCSFromSRGB(s.rgb()));
            sequence.addItem(item);
        }
    }

    private static AttributeList code(Code c) throws DicomException {
        return new CodedSequenceItem(c.value(), c.scheme(), c.meaning()).getAttributeList();
    }

    /** Two dimensions: the segment, then the position of the frame's plane along the slice normal. */
    private static void dimensions(Elements e, String organizationUid) throws DicomException {
        AttributeList organization = new AttributeList();
        Elements.into(organization).uid("DimensionOrganizationUID", organizationUid);
        e.sequence("DimensionOrganizationSequence", organization);
        AttributeList segment = new AttributeList();
        Elements.into(segment).uid("DimensionOrganizationUID", organizationUid)
                .at("DimensionIndexPointer", "ReferencedSegmentNumber")
                .at("FunctionalGroupPointer", "SegmentIdentificationSequence")
                .lo("DimensionDescriptionLabel", "Segment Number");
        AttributeList position = new AttributeList();
        Elements.into(position).uid("DimensionOrganizationUID", organizationUid)
                .at("DimensionIndexPointer", "ImagePositionPatient")
                .at("FunctionalGroupPointer", "PlanePositionSequence")
                .lo("DimensionDescriptionLabel", "Image Position Patient");
        e.sequence("DimensionIndexSequence", segment, position);
    }

    private static void sharedFunctionalGroups(Elements e, SegmentationSource source) throws DicomException {
        VolumeGeometry g = source.geometry();
        double[] spacing = g.spacing();
        String thickness = source.header().string("SliceThickness");
        AttributeList measures = new AttributeList();
        Elements m = Elements.into(measures).ds("PixelSpacing", spacing[1], spacing[0]);
        if (!thickness.isBlank()) m.ds("SliceThickness", Double.parseDouble(thickness.trim()));
        else m.ds("SliceThickness", spacing[2]);
        if (g.depth() > 1) m.ds("SpacingBetweenSlices", spacing[2]);
        double[] row = g.axis(0), column = g.axis(1);
        AttributeList orientation = new AttributeList();
        Elements.into(orientation).ds("ImageOrientationPatient", row[0], row[1], row[2], column[0], column[1], column[2]);
        AttributeList shared = new AttributeList();
        Elements.into(shared).sequence("PixelMeasuresSequence", measures);
        Elements.into(shared).sequence("PlaneOrientationSequence", orientation);
        e.sequence("SharedFunctionalGroupsSequence", shared);
    }

    private static void perFrameFunctionalGroups(Elements e, SegmentationSource source, FramePlan plan)
            throws DicomException {
        SequenceAttribute perFrame = e.sequence("PerFrameFunctionalGroupsSequence");
        AttributeList derivationCode = new CodedSequenceItem("113076", "DCM", "Segmentation").getAttributeList();
        AttributeList purpose = new CodedSequenceItem("121322", "DCM", "Source image for image processing operation")
                .getAttributeList();
        for (FramePlan.Frame frame : plan.frames()) {
            SliceSource slice = source.slices().get(frame.z());
            AttributeList sourceImage = new AttributeList();
            Elements s = Elements.into(sourceImage).uid("ReferencedSOPClassUID", slice.sopClassUid())
                    .uid("ReferencedSOPInstanceUID", slice.sopInstanceUid());
            if (slice.isFrameOfMultiFrame()) s.is("ReferencedFrameNumber", slice.frameNumber());
            s.sequence("PurposeOfReferenceCodeSequence", purpose);
            AttributeList derivation = new AttributeList();
            Elements.into(derivation).sequence("DerivationCodeSequence", derivationCode);
            Elements.into(derivation).sequence("SourceImageSequence", sourceImage);

            AttributeList content = new AttributeList();
            Elements.into(content).ul("DimensionIndexValues", frame.segmentNumber(), frame.z() + 1);
            AttributeList position = new AttributeList();
            Elements.into(position).ds("ImagePositionPatient", source.geometry().positionOf(0, 0, frame.z()));
            AttributeList segment = new AttributeList();
            Elements.into(segment).us("ReferencedSegmentNumber", frame.segmentNumber());

            AttributeList groups = new AttributeList();
            Elements f = Elements.into(groups);
            f.sequence("DerivationImageSequence", derivation);
            f.sequence("FrameContentSequence", content);
            f.sequence("PlanePositionSequence", position);
            f.sequence("SegmentIdentificationSequence", segment);
            perFrame.addItem(groups);
        }
    }

    /** Common Instance Reference: every source instance once, in slice order. */
    private static void referencedSeries(Elements e, SegmentationSource source) throws DicomException {
        Map<String, String> instances = new LinkedHashMap<>();
        for (SliceSource s : source.slices())
            if (hasSourceImage(s)) instances.putIfAbsent(s.sopInstanceUid(), s.sopClassUid());
        List<AttributeList> items = new ArrayList<>();
        for (Map.Entry<String, String> instance : instances.entrySet()) {
            AttributeList item = new AttributeList();
            Elements.into(item).uid("ReferencedSOPClassUID", instance.getValue())
                    .uid("ReferencedSOPInstanceUID", instance.getKey());
            items.add(item);
        }
        AttributeList series = new AttributeList();
        Elements.into(series).uid("SeriesInstanceUID", source.seriesInstanceUid())
                .sequence("ReferencedInstanceSequence", items.toArray(AttributeList[]::new));
        e.sequence("ReferencedSeriesSequence", series);
    }
}
