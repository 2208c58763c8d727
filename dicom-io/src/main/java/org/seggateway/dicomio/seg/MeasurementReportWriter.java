package org.seggateway.dicomio.seg;

import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.CodedSequenceItem;
import com.pixelmed.dicom.DicomException;
import com.pixelmed.dicom.FileMetaInformation;
import com.pixelmed.dicom.SOPClass;
import com.pixelmed.dicom.TagFromName;
import com.pixelmed.dicom.TransferSyntax;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.seggateway.dicomio.measure.SegmentStatistics;
import org.seggateway.dicomio.volume.SliceSource;

/**
 * Writes the measurements of a SEG's segments as an Enhanced SR (1.2.840.10008.5.1.4.1.1.88.22) following TID 1500
 * "Measurement Report": Enhanced SR rather than Comprehensive 3D SR because the report holds no 3D coordinates, only
 * references to the SEG's segments, numbers and codes.
 *
 * <p>Content tree: the root container (126000, DCM, "Imaging Measurement Report") with the language (TID 1204), the
 * device observer context (TID 1001/1004: this gateway and the model), the procedure reported, the image library
 * (TID 1600: every source instance) and the container "Imaging Measurements" holding one "Measurement Group" per
 * segment with at least one voxel (TID 1411): tracking identifier (the segment's label) and a tracking UID, the
 * finding category and finding coded with the segment's category and type codes, the finding site for an anatomical
 * structure, the Referenced Segment (an IMAGE item pointing at the SEG and its segment number), the source series,
 * and the measurements (TID 1419): volume in mL, and for CT the mean attenuation in HU.
 *
 * <p>Same patient and study as the source, a series of its own, Explicit VR Little Endian; the file appears atomically.
 */
public final class MeasurementReportWriter {
    public static final String ENHANCED_SR = SOPClass.EnhancedSRStorage;
    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("yyyyMMdd");
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HHmmss.SSS");
    private static final Code ANATOMICAL_STRUCTURE = new Code("123037004", "SCT", "Anatomical Structure");

    private final SegmentationOptions options;

    /** {@code options}: series number and description, equipment and UIDs of the report (content label unused). */
    public MeasurementReportWriter(SegmentationOptions options) {
        this.options = options;
    }

    /**
     * The report of {@code seg}, built on {@code source} with the SEG's {@code segments} and their {@code statistics}
     * (by label value); segments without statistics or without voxels get no measurement group.
     */
    public WrittenMeasurementReport write(SegmentationSource source, WrittenSegmentation seg, List<SegmentDescription> segments,
                                          Map<Integer, SegmentStatistics> statistics, Path out) throws IOException {
        String sopInstanceUid = options.uids().next(), seriesInstanceUid = options.uids().next();
        AttributeList list;
        int groups;
        try {
            list = new AttributeList();
            groups = build(list, source, seg, segments, statistics, sopInstanceUid, seriesInstanceUid);
        } catch (DicomException e) {
            throw new IOException("cannot build the measurement report of series " + source.seriesInstanceUid() + ": "
                    + e.getMessage(), e);
        }
        Path target = out.toAbsolutePath();
        Path temporary = target.resolveSibling(target.getFileName() + ".partial");
        try {
            list.write(temporary.toFile(), TransferSyntax.ExplicitVRLittleEndian, true, true);
        } catch (DicomException | IOException e) {
            Files.deleteIfExists(temporary);
            throw new IOException("cannot write measurement report " + target + ": " + e.getMessage(), e);
        }
        Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        return new WrittenMeasurementReport(target, sopInstanceUid, seriesInstanceUid, groups);
    }

    private int build(AttributeList list, SegmentationSource source, WrittenSegmentation seg, List<SegmentDescription> segments,
                      Map<Integer, SegmentStatistics> statistics, String sopInstanceUid, String seriesInstanceUid)
            throws DicomException {
        Elements e = Elements.into(list);
        AttributeList sourceHeader = source.header().attributeList();
        SourceStudy.copyInto(list, sourceHeader, source.seriesInstanceUid());
        String studyInstanceUid = list.get(TagFromName.StudyInstanceUID).getSingleStringValueOrEmptyString();

        LocalDateTime now = LocalDateTime.now();
        String date = DATE.format(now), time = TIME.format(now);
        String modality = source.header().string("Modality").trim();

        // SOP Common; SR Document Series; General Equipment
        e.uid("SOPClassUID", ENHANCED_SR).uid("SOPInstanceUID", sopInstanceUid)
                .da("InstanceCreationDate", date).tm("InstanceCreationTime", time);
        e.cs("Modality", "SR").uid("SeriesInstanceUID", seriesInstanceUid).is("SeriesNumber", options.seriesNumber())
                .lo("SeriesDescription", options.seriesDescription()).da("SeriesDate", date).tm("SeriesTime", time);
        e.sequence("ReferencedPerformedProcedureStepSequence");
        e.lo("Manufacturer", options.manufacturer()).lo("ManufacturerModelName", options.manufacturerModelName())
                .lo("DeviceSerialNumber", options.deviceSerialNumber()).lo("SoftwareVersions", options.softwareVersion());
        // SR Document General
        e.is("InstanceNumber", 1).cs("CompletionFlag", "COMPLETE").cs("VerificationFlag", "UNVERIFIED")
                .da("ContentDate", date).tm("ContentTime", time);
        e.sequence("PerformedProcedureCodeSequence");
        e.sequence("CurrentRequestedProcedureEvidenceSequence", evidence(studyInstanceUid, source, seg));

        // SR Document Content: the root container
        e.cs("ValueType", "CONTAINER").sequence("ConceptNameCodeSequence",
                code(new Code("126000", "DCM", "Imaging Measurement Report")));
        e.cs("ContinuityOfContent", "SEPARATE");
        AttributeList template = new AttributeList();
        Elements.into(template).cs("MappingResource", "DCMR").cs("TemplateIdentifier", "1500");
        e.sequence("ContentTemplateSequence", template);

        List<AttributeList> root = new ArrayList<>();
        root.add(codeItem("HAS CONCEPT MOD", new Code("121049", "DCM", "Language of Content Item and Descendants"),
                new Code("en-US", "RFC5646", "English (United States)")));
        root.add(codeItem("HAS OBS CONTEXT", new Code("121005", "DCM", "Observer Type"), new Code("121007", "DCM", "Device")));
        root.add(uidItem("HAS OBS CONTEXT", new Code("121012", "DCM", "Device Observer UID"), deviceUid()));
        root.add(textItem("HAS OBS CONTEXT", new Code("121013", "DCM", "Device Observer Name"), options.manufacturerModelName()));
        root.add(textItem("HAS OBS CONTEXT", new Code("121014", "DCM", "Device Observer Manufacturer"), options.manufacturer()));
        root.add(codeItem("HAS CONCEPT MOD", new Code("121058", "DCM", "Procedure reported"),
                new Code("363679005", "SCT", "Imaging procedure")));
        root.add(imageLibrary(source));
        List<AttributeList> groups = new ArrayList<>();
        for (SegmentDescription s : segments) {
            SegmentStatistics stats = statistics.get(s.labelValue());
            Integer segmentNumber = seg.segmentNumbers().get(s.labelValue());
            if (stats == null || stats.voxelCount() == 0 || segmentNumber == null) continue;
            groups.add(measurementGroup(s, segmentNumber, stats, seg, source.seriesInstanceUid(), modality));
        }
        root.add(container("CONTAINS", new Code("126010", "DCM", "Imaging Measurements"), groups));
        e.sequence("ContentSequence", root.toArray(AttributeList[]::new));

        list.insertSuitableSpecificCharacterSetForAllStringValues();
        FileMetaInformation.addFileMetaInformation(list, TransferSyntax.ExplicitVRLittleEndian, "SEGGATEWAY");
        return groups.size();
    }

    /** TID 1411 for one segment. */
    private AttributeList measurementGroup(SegmentDescription s, int segmentNumber, SegmentStatistics stats,
                                           WrittenSegmentation seg, String sourceSeriesUid, String modality)
            throws DicomException {
        List<AttributeList> items = new ArrayList<>();
        items.add(textItem("HAS OBS CONTEXT", new Code("112039", "DCM", "Tracking Identifier"), s.label()));
        items.add(uidItem("HAS OBS CONTEXT", new Code("112040", "DCM", "Tracking Unique Identifier"), options.uids().next()));
        items.add(codeItem("CONTAINS", new Code("276214006", "SCT", "Finding category"), s.category()));
        items.add(codeItem("CONTAINS", new Code("121071", "DCM", "Finding"), s.type()));
        if (s.category().value().equals(ANATOMICAL_STRUCTURE.value()) && s.category().scheme().equals(ANATOMICAL_STRUCTURE.scheme()))
            items.add(codeItem("HAS CONCEPT MOD", new Code("363698007", "SCT", "Finding Site"), s.type()));

        AttributeList reference = new AttributeList();
        Elements.into(reference).uid("ReferencedSOPClassUID", SOPClass.SegmentationStorage)
                .uid("ReferencedSOPInstanceUID", seg.sopInstanceUid()).us("ReferencedSegmentNumber", segmentNumber);
        AttributeList segment = item("CONTAINS", "IMAGE", new Code("121191", "DCM", "Referenced Segment"));
        Elements.into(segment).sequence("ReferencedSOPSequence", reference);
        items.add(segment);
        items.add(uidItem("CONTAINS", new Code("121232", "DCM", "Source series for segmentation"), sourceSeriesUid));

        items.add(numItem(new Code("118565006", "SCT", "Volume"), stats.volumeMl(), new Code("mL", "UCUM", "milliliter"), null));
        if ("CT".equals(modality) && !Double.isNaN(stats.mean()))
            items.add(numItem(new Code("112031", "DCM", "Attenuation Coefficient"), stats.mean(),
                    new Code("[hnsf'U]", "UCUM", "Hounsfield unit"), new Code("373098007", "SCT", "Mean")));
        return container("CONTAINS", new Code("125007", "DCM", "Measurement Group"), items);
    }

    /** TID 1600: one group holding every source instance the volume was built from. */
    private static AttributeList imageLibrary(SegmentationSource source) throws DicomException {
        Map<String, String> instances = new LinkedHashMap<>();
        for (SliceSource s : source.slices())
            if (!s.isInterpolated()) instances.putIfAbsent(s.sopInstanceUid(), s.sopClassUid());
        List<AttributeList> images = new ArrayList<>();
        for (Map.Entry<String, String> instance : instances.entrySet()) {
            AttributeList reference = new AttributeList();
            Elements.into(reference).uid("ReferencedSOPClassUID", instance.getValue())
                    .uid("ReferencedSOPInstanceUID", instance.getKey());
            AttributeList image = new AttributeList();
            Elements.into(image).cs("RelationshipType", "CONTAINS").cs("ValueType", "IMAGE");
            Elements.into(image).sequence("ReferencedSOPSequence", reference);
            images.add(image);
        }
        AttributeList group = container("CONTAINS", new Code("126200", "DCM", "Image Library Group"), images);
        return container("CONTAINS", new Code("111028", "DCM", "Image Library"), List.of(group));
    }

    /** The source instances and the SEG, in the study both belong to. */
    private static AttributeList evidence(String studyInstanceUid, SegmentationSource source, WrittenSegmentation seg)
            throws DicomException {
        Map<String, String> instances = new LinkedHashMap<>();
        for (SliceSource s : source.slices())
            if (!s.isInterpolated()) instances.putIfAbsent(s.sopInstanceUid(), s.sopClassUid());
        List<AttributeList> sourceItems = new ArrayList<>();
        for (Map.Entry<String, String> instance : instances.entrySet()) sourceItems.add(sop(instance.getValue(), instance.getKey()));
        AttributeList sourceSeries = new AttributeList();
        Elements.into(sourceSeries).uid("SeriesInstanceUID", source.seriesInstanceUid());
        Elements.into(sourceSeries).sequence("ReferencedSOPSequence", sourceItems.toArray(AttributeList[]::new));
        AttributeList segSeries = new AttributeList();
        Elements.into(segSeries).uid("SeriesInstanceUID", seg.seriesInstanceUid());
        Elements.into(segSeries).sequence("ReferencedSOPSequence", sop(SOPClass.SegmentationStorage, seg.sopInstanceUid()));
        AttributeList study = new AttributeList();
        Elements.into(study).uid("StudyInstanceUID", studyInstanceUid);
        Elements.into(study).sequence("ReferencedSeriesSequence", sourceSeries, segSeries);
        return study;
    }

    private static AttributeList sop(String sopClassUid, String sopInstanceUid) throws DicomException {
        AttributeList item = new AttributeList();
        Elements.into(item).uid("ReferencedSOPClassUID", sopClassUid).uid("ReferencedSOPInstanceUID", sopInstanceUid);
        return item;
    }

    /** A stable UID for this gateway as a device observer, derived from its manufacturer and model name. */
    private String deviceUid() {
        UUID uuid = UUID.nameUUIDFromBytes((options.manufacturer() + "/" + options.manufacturerModelName())
                .getBytes(StandardCharsets.UTF_8));
        return "2.25." + new java.math.BigInteger(1, java.nio.ByteBuffer.allocate(16)
                .putLong(uuid.getMostSignificantBits()).putLong(uuid.getLeastSignificantBits()).array());
    }

    private static AttributeList item(String relationship, String valueType, Code concept) throws DicomException {
        AttributeList item = new AttributeList();
        Elements.into(item).cs("RelationshipType", relationship).cs("ValueType", valueType)
                .sequence("ConceptNameCodeSequence", code(concept));
        return item;
    }

    private static AttributeList container(String relationship, Code concept, List<AttributeList> children) throws DicomException {
        AttributeList item = item(relationship, "CONTAINER", concept);
        Elements.into(item).cs("ContinuityOfContent", "SEPARATE");
        if (!children.isEmpty()) Elements.into(item).sequence("ContentSequence", children.toArray(AttributeList[]::new));
        return item;
    }

    private static AttributeList codeItem(String relationship, Code concept, Code value) throws DicomException {
        AttributeList item = item(relationship, "CODE", concept);
        Elements.into(item).sequence("ConceptCodeSequence", code(value));
        return item;
    }

    private static AttributeList textItem(String relationship, Code concept, String text) throws DicomException {
        AttributeList item = item(relationship, "TEXT", concept);
        com.pixelmed.dicom.UnlimitedTextAttribute value = new com.pixelmed.dicom.UnlimitedTextAttribute(TagFromName.TextValue);
        value.addValue(text);
        item.put(value);
        return item;
    }

    private static AttributeList uidItem(String relationship, Code concept, String uid) throws DicomException {
        AttributeList item = item(relationship, "UIDREF", concept);
        Elements.into(item).uid("UID", uid);
        return item;
    }

    /** A NUM, with {@code derivation} (e.g. Mean) as a concept modifier when not null. */
    private static AttributeList numItem(Code concept, double value, Code units, Code derivation) throws DicomException {
        AttributeList item = item("CONTAINS", "NUM", concept);
        AttributeList measured = new AttributeList();
        Elements.into(measured).ds("NumericValue", value).sequence("MeasurementUnitsCodeSequence", code(units));
        Elements.into(item).sequence("MeasuredValueSequence", measured);
        if (derivation != null)
            Elements.into(item).sequence("ContentSequence",
                    codeItem("HAS CONCEPT MOD", new Code("121401", "DCM", "Derivation"), derivation));
        return item;
    }

    private static AttributeList code(Code c) throws DicomException {
        return new CodedSequenceItem(c.value(), c.scheme(), c.meaning()).getAttributeList();
    }
}
