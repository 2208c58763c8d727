package org.seggateway.dicomio.seg;

/**
 * What one label value of a label map means, for the SEG Segment Sequence.
 *
 * @param labelValue       value in the label map (1..255); becomes the Segment Number
 * @param category         Segmented Property Category (SNOMED CT), e.g. 123037004 "Anatomical Structure"
 * @param type             Segmented Property Type (SNOMED CT), e.g. 10200004 "Liver"
 * @param algorithmName    Segment Algorithm Name (the model's name)
 * @param algorithmVersion the model's version
 * @param rgb              recommended display colour (sRGB 0..255), or null
 * @param typeModifier     Segmented Property Type Modifier, e.g. SCT 7771000 "Left" for one of a pair, or null
 */
public record SegmentDescription(int labelValue, String label, Code category, Code type,
                                 String algorithmName, String algorithmVersion, int[] rgb, Code typeModifier) {

    public SegmentDescription(int labelValue, String label, Code category, Code type,
                              String algorithmName, String algorithmVersion, int[] rgb) {
        this(labelValue, label, category, type, algorithmName, algorithmVersion, rgb, null);
    }

    public SegmentDescription {
        if (labelValue < 1 || labelValue > 255)
            throw new IllegalArgumentException("segment label value must be 1..255: " + labelValue);
        if (label == null || label.isBlank()) throw new IllegalArgumentException("segment " + labelValue + " needs a label");
        if (category == null || type == null)
            throw new IllegalArgumentException("segment " + labelValue + " needs category and type codes");
        if (rgb != null && rgb.length != 3) throw new IllegalArgumentException("segment " + labelValue + ": rgb needs 3 values");
    }
}
