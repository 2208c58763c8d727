package org.seggateway.gateway.models;

import java.nio.file.Path;
import java.util.List;
import org.seggateway.dicomio.seg.SegmentDescription;

/**
 * What the gateway needs of a model package: its identity for the job row and the queue, and its labels
 * for the SEG's segment descriptions. The ONNX file itself only matters to the workers.
 */
public record ModelInfo(Path directory, String name, String version, List<SegmentDescription> segments) {
    public ModelInfo {
        segments = List.copyOf(segments);
    }
}
