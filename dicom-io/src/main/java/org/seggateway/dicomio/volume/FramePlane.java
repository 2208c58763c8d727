package org.seggateway.dicomio.volume;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.AttributeTag;
import com.pixelmed.dicom.DicomDictionary;
import com.pixelmed.dicom.SequenceAttribute;
import com.pixelmed.dicom.TagFromName;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The plane geometry and value mapping of one 2D image: a single-frame instance, or one frame of an
 * enhanced multi-frame instance (from its Per-frame, else Shared, Functional Groups).
 *
 * @param frameNumber  1-based frame of a multi-frame instance, 0 for a single-frame one
 * @param orientation  Image Orientation (Patient): row direction cosines, then column direction cosines
 * @param localizer    Image Type (or Frame Type) value 3 is LOCALIZER
 */
record FramePlane(InstanceFile instance, int frameNumber, double[] position, double[] orientation,
                  double rowSpacing, double columnSpacing, double sliceThickness, int rows, int columns,
                  double rescaleSlope, double rescaleIntercept, boolean localizer, String frameOfReferenceUid) {

    private static final AttributeTag SHARED = tag("SharedFunctionalGroupsSequence"),
            PER_FRAME = tag("PerFrameFunctionalGroupsSequence"), PLANE_POSITION = tag("PlanePositionSequence"),
            PLANE_ORIENTATION = tag("PlaneOrientationSequence"), PIXEL_MEASURES = tag("PixelMeasuresSequence"),
            VALUE_TRANSFORMATION = tag("PixelValueTransformationSequence"), FRAME_TYPE = tag("FrameType"),
            CT_FRAME_TYPE = tag("CTImageFrameTypeSequence"), MR_FRAME_TYPE = tag("MRImageFrameTypeSequence");

    SliceSource source() {
        return new SliceSource(instance.header().string("SOPClassUID"), instance.sopInstanceUid(), frameNumber);
    }

    /** Where this image came from, for messages: the file, and the frame if it is one of many. */
    String describe() {
        return instance.file() + (frameNumber > 0 ? " frame " + frameNumber : "");
    }

    /** The planes of one instance: one for a single-frame image, one per frame for an enhanced multi-frame. */
    static List<FramePlane> of(InstanceFile instance, String seriesUid) throws VolumeException {
        AttributeList list = instance.header().attributeList();
        int frames = Attribute.getSingleIntegerValueOrDefault(list, TagFromName.NumberOfFrames, 1);
        int rows = Attribute.getSingleIntegerValueOrDefault(list, TagFromName.Rows, 0);
        int columns = Attribute.getSingleIntegerValueOrDefault(list, TagFromName.Columns, 0);
        String frameOfReference = Attribute.getSingleStringValueOrEmptyString(list, TagFromName.FrameOfReferenceUID);
        boolean localizer = isLocalizer(Attribute.getStringValues(list, TagFromName.ImageType));
        SequenceAttribute perFrame = (SequenceAttribute) list.get(PER_FRAME);
        if (perFrame == null) {
            if (frames > 1)
                throw new VolumeException(seriesUid, instance.file() + " has " + frames
                        + " frames but no Per-frame Functional Groups; only enhanced multi-frame images are supported");
            double[] spacing = required(list, TagFromName.PixelSpacing, 2, seriesUid, instance.file().toString());
            return List.of(new FramePlane(instance, 0,
                    required(list, TagFromName.ImagePositionPatient, 3, seriesUid, instance.file().toString()),
                    required(list, TagFromName.ImageOrientationPatient, 6, seriesUid, instance.file().toString()),
                    spacing[0], spacing[1], Attribute.getSingleDoubleValueOrDefault(list, TagFromName.SliceThickness, 0),
                    rows, columns, Attribute.getSingleDoubleValueOrDefault(list, TagFromName.RescaleSlope, 1),
                    Attribute.getSingleDoubleValueOrDefault(list, TagFromName.RescaleIntercept, 0), localizer,
                    frameOfReference));
        }
        if (perFrame.getNumberOfItems() != frames)
            throw new VolumeException(seriesUid, instance.file() + " has " + frames + " frames but "
                    + perFrame.getNumberOfItems() + " Per-frame Functional Groups items");
        AttributeList shared = SequenceAttribute.getAttributeListFromWithinSequenceWithSingleItem(list, SHARED);
        List<FramePlane> planes = new ArrayList<>(frames);
        for (int f = 0; f < frames; f++) {
            AttributeList item = perFrame.getItem(f).getAttributeList();
            String where = instance.file() + " frame " + (f + 1);
            AttributeList position = macro(item, shared, PLANE_POSITION, seriesUid, where, true);
            AttributeList orientation = macro(item, shared, PLANE_ORIENTATION, seriesUid, where, true);
            AttributeList measures = macro(item, shared, PIXEL_MEASURES, seriesUid, where, true);
            AttributeList transformation = macro(item, shared, VALUE_TRANSFORMATION, seriesUid, where, false);
            double[] spacing = required(measures, TagFromName.PixelSpacing, 2, seriesUid, where);
            planes.add(new FramePlane(instance, f + 1,
                    required(position, TagFromName.ImagePositionPatient, 3, seriesUid, where),
                    required(orientation, TagFromName.ImageOrientationPatient, 6, seriesUid, where),
                    spacing[0], spacing[1], Attribute.getSingleDoubleValueOrDefault(measures, TagFromName.SliceThickness, 0),
                    rows, columns,
                    transformation == null ? 1 : Attribute.getSingleDoubleValueOrDefault(transformation, TagFromName.RescaleSlope, 1),
                    transformation == null ? 0 : Attribute.getSingleDoubleValueOrDefault(transformation, TagFromName.RescaleIntercept, 0),
                    localizer || isLocalizer(frameType(item, shared)), frameOfReference));
        }
        return planes;
    }

    private static boolean isLocalizer(String[] imageType) {
        return imageType != null && imageType.length >= 3 && imageType[2].trim().equals("LOCALIZER");
    }

    private static String[] frameType(AttributeList perFrame, AttributeList shared) {
        for (AttributeTag sequence : List.of(CT_FRAME_TYPE, MR_FRAME_TYPE)) {
            for (AttributeList group : Arrays.asList(perFrame, shared)) {
                if (group == null) continue;
                AttributeList item = SequenceAttribute.getAttributeListFromWithinSequenceWithSingleItem(group, sequence);
                if (item != null) return Attribute.getStringValues(item, FRAME_TYPE);
            }
        }
        return null;
    }

    /** The item of a functional group macro, from the frame's own groups first, else the shared ones. */
    private static AttributeList macro(AttributeList perFrame, AttributeList shared, AttributeTag sequence,
                                       String seriesUid, String where, boolean required) throws VolumeException {
        AttributeList item = SequenceAttribute.getAttributeListFromWithinSequenceWithSingleItem(perFrame, sequence);
        if (item == null && shared != null)
            item = SequenceAttribute.getAttributeListFromWithinSequenceWithSingleItem(shared, sequence);
        if (item == null && required)
            throw new VolumeException(seriesUid, where + " has no " + DicomDictionary.StandardDictionary.getFullNameFromTag(sequence)
                    + " in its Per-frame or Shared Functional Groups");
        return item;
    }

    private static double[] required(AttributeList list, AttributeTag tag, int count, String seriesUid, String where)
            throws VolumeException {
        double[] values = null;
        try {
            values = Attribute.getDoubleValues(list, tag);
        } catch (RuntimeException e) {
            // unparsable decimal string: reported below like a missing value
        }
        if (values == null || values.length != count)
            throw new VolumeException(seriesUid, where + ": " + DicomDictionary.StandardDictionary.getFullNameFromTag(tag)
                    + " needs " + count + " numbers, found " + (values == null ? "none" : Arrays.toString(values)));
        return values;
    }

    private static AttributeTag tag(String keyword) {
        return DicomDictionary.StandardDictionary.getTagFromName(keyword);
    }
}
