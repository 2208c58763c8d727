package org.seggateway.inference.model;

import org.seggateway.dicomio.seg.Code;
import org.seggateway.dicomio.seg.SegmentDescription;

/**
 * One label value (1..255) a model produces, with the codes its SEG segment carries.
 *
 * @param channel      the network output channel whose winning probability yields this value
 * @param typeModifier laterality of one of a pair (SCT 7771000 Left, 24028007 Right), or null
 */
public record LabelSpec(int value, String name, Code category, Code type, int[] color, int channel, Code typeModifier) {

    public LabelSpec(int value, String name, Code category, Code type, int[] color, int channel) {
        this(value, name, category, type, color, channel, null);
    }

    public SegmentDescription segmentDescription(String algorithmName, String algorithmVersion) {
        return new SegmentDescription(value, name, category, type, algorithmName, algorithmVersion,
                color == null ? null : color.clone(), typeModifier);
    }
}
