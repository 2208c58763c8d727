package org.seggateway.gateway.worklist;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.seggateway.gateway.jobs.JobWarning;
import org.seggateway.gateway.results.SegmentMeasurement;

/** The worklist row's one-line texts: the measurement summary and the warnings in a few words. */
class WorklistTextTest {

    private static SegmentMeasurement segment(String label, double ml) {
        return new SegmentMeasurement(1, 1, label, null, null, ml == 0 ? 0 : 10, ml, null, null, null, null, null, null, 1, 26, null);
    }

    @Test
    void summarisesVolumesTheSameInEveryLocale() {
        Locale before = Locale.getDefault();
        try {
            Locale.setDefault(Locale.GERMANY);
            assertThat(MeasurementSummary.of(List.of(List.of(segment("Liver", 1612.4), segment("Spleen", 209.6)),
                    List.of(segment("Lesion", 4.25), segment("Vessel", 0)))))
                    .isEqualTo("Liver 1,612 mL \u00b7 Spleen 210 mL \u00b7 Lesion 4.3 mL");
        } finally {
            Locale.setDefault(before);
        }
        assertThat(MeasurementSummary.millilitres(1234567.5)).isEqualTo("1,234,568");
        assertThat(MeasurementSummary.millilitres(0)).isEqualTo("0.0");
        assertThat(MeasurementSummary.millilitres(0.018)).isEqualTo("<0.1");
        assertThat(MeasurementSummary.millilitres(0.05)).isEqualTo("0.1");
        assertThat(MeasurementSummary.millilitres(999.5)).isEqualTo("1,000");
        assertThat(MeasurementSummary.of(List.of())).isNull();
        assertThat(MeasurementSummary.of(List.of(List.of(segment("Lesion", 0))))).isEqualTo("no segment found");
        java.util.ArrayList<List<SegmentMeasurement>> withoutMeasurements = new java.util.ArrayList<>();
        withoutMeasurements.add(null);
        assertThat(MeasurementSummary.of(withoutMeasurements)).isNull();
    }

    @Test
    void putsTheRecordedWarningsInAFewWords() {
        assertThat(WarningHeadline.of(List.of(
                new JobWarning("volume", "series 1.2.3: 2 slice(s) missing: gap of 3 mm between 0 and 3 mm along the normal where the"
                        + " spacing is 1 mm; filled by linear interpolation"),
                new JobWarning("volume", "series 1.2.3: dropped 1 localizer image(s) (Image Type LOCALIZER), e.g. x"),
                new JobWarning("volume", "dropped 3 image(s) whose orientation differs from the other 40 (taken for localizers)"),
                new JobWarning("seg", "label 1 (Liver): not in the SEG: all 9 of its voxels lie on interpolated slices"),
                new JobWarning("seg", "label 2 (Spleen): 4 of its 90 voxels lie on interpolated slices (instances missing) and are not in the SEG"),
                new JobWarning("volume", "something new the reader will say one day, in many more words than a row can hold"))))
                .containsExactly("2 slices interpolated", "1 localizer dropped", "3 images of another orientation dropped",
                        "Liver left out of the SEG", "Spleen partly left out of the SEG",
                        "something new the reader will say one day, in many more wor\u2026");
    }
}
