package org.seggateway.dicomio.seg;

import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A SEG that {@link SegmentationWriter} wrote.
 *
 * @param segmentNumbers        label value to Segment Number (1..n in ascending label value)
 * @param segmentsWithoutFrames label values that were described but absent from the label map: they are
 *                              in the Segment Sequence with no frame
 * @param voxelsLeftOut         labelled voxels on slices without a source image (interpolated for a
 *                              missing instance), which no frame can carry; 0 normally
 * @param labelsLeftOut         per label, the voxels so left out (empty normally); {@link LabelLeftOut#describe()}
 *                              says it in plain words
 */
public record WrittenSegmentation(Path file, String sopInstanceUid, String seriesInstanceUid, int frameCount,
                                  long fileSize, Map<Integer, Integer> segmentNumbers,
                                  List<Integer> segmentsWithoutFrames, long voxelsLeftOut, List<LabelLeftOut> labelsLeftOut) {
    public WrittenSegmentation {
        segmentNumbers = Collections.unmodifiableMap(new LinkedHashMap<>(segmentNumbers));
        segmentsWithoutFrames = List.copyOf(segmentsWithoutFrames);
        labelsLeftOut = List.copyOf(labelsLeftOut);
    }
}
