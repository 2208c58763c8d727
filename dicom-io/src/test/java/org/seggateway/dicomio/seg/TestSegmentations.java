package org.seggateway.dicomio.seg;

import java.io.IOException;
import java.nio.file.Path;
import org.seggateway.dicomio.synthetic.SyntheticSeries;

/** A real binary SEG written by {@link SegmentationWriter} over a small synthetic CT, for tests that send one. */
public final class TestSegmentations {
    private TestSegmentations() {}

    /** Writes the CT series under {@code directory/ct} and its five-segment SEG to {@code directory/seg.dcm}. */
    public static WrittenSegmentation fiveSegmentSeg(Path directory) throws IOException {
        SyntheticSeries.Written ct = SyntheticSeries.ct().size(64, 64, 12).write(directory.resolve("ct"));
        SegmentationSource source = TestSeries.source(ct);
        return new SegmentationWriter(SegmentationOptions.defaults()).write(source,
                TestSeries.fiveSegmentLabels(source.geometry()), TestSeries.fiveSegments(), directory.resolve("seg.dcm"));
    }
}
