package org.seggateway.inference.model;

import org.seggateway.dicomio.seg.Code;
import org.seggateway.dicomio.seg.SegmentDescription;

/** One label value a model produces, with the codes its SEG segment carries. */
public record LabelSpec(int value, String name, Code category, Code type, int[] color) {

    public SegmentDescription segmentDescription(String algorithmName, String algorithmVersion) {
        return new SegmentDescription(value, name, category, type, algorithmName, algorithmVersion,
                color == null ? null : color.clone());
    }
}
