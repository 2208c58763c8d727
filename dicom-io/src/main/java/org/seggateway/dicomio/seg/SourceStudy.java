package org.seggateway.dicomio.seg;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.CompositeInstanceContext;
import com.pixelmed.dicom.TagFromName;
import java.util.List;

/**
 * The Patient, Clinical Trial Subject, General Study, Patient Study and Clinical Trial Study modules of an object
 * derived from a source series (our SEG, our measurement report): copied from the source header, with the type 2
 * attributes the source lacks present and empty.
 */
final class SourceStudy {
    private SourceStudy() {}

    private static final List<String> TYPE_2 = List.of("PatientName", "PatientID", "PatientBirthDate", "PatientSex",
            "StudyDate", "StudyTime", "ReferringPhysicianName", "StudyID", "AccessionNumber");

    /** @throws IllegalArgumentException when the source header has no Study Instance UID */
    static void copyInto(AttributeList list, AttributeList sourceHeader, String sourceSeriesUid) {
        CompositeInstanceContext context = new CompositeInstanceContext(sourceHeader, false);
        context.removeSeries();
        context.removeEquipment();
        context.removeFrameOfReference();
        context.removeInstance();
        list.putAll(context.getAttributeList());
        for (String keyword : TYPE_2)
            if (list.get(Elements.tag(keyword)) == null) list.put(emptyOf(keyword));
        if (list.get(TagFromName.StudyInstanceUID) == null)
            throw new IllegalArgumentException("series " + sourceSeriesUid + ": source header has no Study Instance UID");
    }

    private static Attribute emptyOf(String keyword) {
        return switch (keyword) {
            case "PatientName", "ReferringPhysicianName" -> new com.pixelmed.dicom.PersonNameAttribute(Elements.tag(keyword));
            case "PatientBirthDate", "StudyDate" -> new com.pixelmed.dicom.DateAttribute(Elements.tag(keyword));
            case "StudyTime" -> new com.pixelmed.dicom.TimeAttribute(Elements.tag(keyword));
            case "PatientSex" -> new com.pixelmed.dicom.CodeStringAttribute(Elements.tag(keyword));
            case "StudyID", "AccessionNumber" -> new com.pixelmed.dicom.ShortStringAttribute(Elements.tag(keyword));
            default -> new com.pixelmed.dicom.LongStringAttribute(Elements.tag(keyword));
        };
    }
}
