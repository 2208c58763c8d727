package org.seggateway.inference.model;

import org.seggateway.dicomio.seg.Code;
import org.seggateway.dicomio.seg.SegmentDescription;

/**
 * One label value (1..255) a model produces, with the codes its SEG segment carries.
 *
 * @param channel the network output channel whose winning probability yields this value
 */
public record LabelSpec(int value, String name, Code category, Code type, int[] color, int channel) {

    public SegmentDescription segmentDescription(String algorithmName, String algorithmVersion) {
        return new SegmentDescription(value, name, category, type, algorithmName, algorithmVersion,
                color == null ? null : color.clone());
    }
}
