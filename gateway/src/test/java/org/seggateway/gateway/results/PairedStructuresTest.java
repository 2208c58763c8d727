package org.seggateway.gateway.results;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.seggateway.dicomio.seg.Code;
import org.seggateway.dicomio.seg.SegmentDescription;

class PairedStructuresTest {
    private static final Code ANATOMY = new Code("123037004", "SCT", "Anatomical Structure");

    private static SegmentDescription segment(String label, String typeMeaning) {
        return new SegmentDescription(1, label, ANATOMY, new Code("64033007", "SCT", typeMeaning), "m", "1", null);
    }

    @Test
    void splitsOnlyLabelsThatHoldBothSidesOfAPairedStructure() {
        assertThat(PairedStructures.splitLeftRight(segment("Kidneys", "Kidney"))).isTrue();
        assertThat(PairedStructures.splitLeftRight(segment("kidney", "Right and left kidneys"))).isTrue();
        assertThat(PairedStructures.splitLeftRight(segment("lungs", "Lung"))).isTrue();
        assertThat(PairedStructures.splitLeftRight(segment("adrenal_glands", "Adrenal gland"))).isTrue();
        assertThat(PairedStructures.splitLeftRight(segment("Bilateral femoral heads", "Femoral head"))).isTrue();
        assertThat(PairedStructures.splitLeftRight(segment("kidney_left", "Kidney"))).isFalse();
        assertThat(PairedStructures.splitLeftRight(segment("Right kidney", "Right kidney"))).isFalse();
        assertThat(PairedStructures.splitLeftRight(segment("Kidney", "Kidney"))).isFalse();
        assertThat(PairedStructures.splitLeftRight(segment("Liver", "Liver"))).isFalse();
    }
}
