package org.seggateway.dicomio.seg;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Which labels lose voxels to slices without a source image, and how that reads on a job. */
class LabelsLeftOutTest {
    private static final int W = 4, H = 4, D = 3;

    @Test
    void namesEachLabelWithVoxelsOnSlicesWithoutSourceAndSaysWhetherAllWereLost() {
        byte[] labels = new byte[W * H * D];
        // label 1 (Liver): 2 voxels on slice 0 (has a source), 3 on slice 1 (interpolated)
        labels[0] = labels[1] = 1;
        labels[W * H] = labels[W * H + 1] = labels[W * H + 2] = 1;
        // label 2 (Lesion): only on slice 1
        labels[W * H + 5] = labels[W * H + 6] = 2;
        // label 3 (Spleen): only on slice 2 (has a source)
        labels[2 * W * H] = 3;
        boolean[] hasSource = {true, false, true};

        FramePlan plan = FramePlan.of(new LabelMap(W, H, D, labels), TestSeries.fiveSegments(), hasSource, "1.2.3");

        assertThat(plan.voxelsOnSlicesWithoutSource()).isEqualTo(5);
        assertThat(plan.labelsLeftOut()).containsExactly(new LabelLeftOut(1, "Liver", 3, 5), new LabelLeftOut(2, "Lesion", 2, 2));
        assertThat(plan.segmentsWithoutFrames()).contains(2).doesNotContain(1, 3);
        assertThat(plan.labelsLeftOut().get(0).describe())
                .isEqualTo("label 1 (Liver): 3 of its 5 voxels lie on interpolated slices (instances missing from the series)"
                        + " and are not in the SEG");
        assertThat(plan.labelsLeftOut().get(1).wholly()).isTrue();
        assertThat(plan.labelsLeftOut().get(1).describe()).startsWith("label 2 (Lesion): not in the SEG: all 2 of its voxels")
                .contains("the segment has no frame");
    }

    @Test
    void noneWhenEverySliceHasASource() {
        byte[] labels = new byte[W * H * D];
        labels[7] = 1;
        FramePlan plan = FramePlan.of(new LabelMap(W, H, D, labels), TestSeries.fiveSegments(), new boolean[] {true, true, true}, "1.2.3");
        assertThat(plan.labelsLeftOut()).isEqualTo(List.of());
    }
}
