package org.seggateway.gateway.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import org.junit.jupiter.api.Test;

/** The Study Date kept for the worklist: a DA value, or nothing when the header's is missing or malformed. */
class StudyDateTest {
    @Test
    void readsAValidDateAndDropsAMalformedOne() {
        assertThat(SeriesRepository.studyDate("20240229")).isEqualTo(LocalDate.of(2024, 2, 29));
        assertThat(SeriesRepository.studyDate(" 20240101 ")).isEqualTo(LocalDate.of(2024, 1, 1));
        assertThat(SeriesRepository.studyDate("20230229")).as("no 29 February in 2023").isNull();
        assertThat(SeriesRepository.studyDate("2024.01.01")).as("the old ACR-NEMA form").isNull();
        assertThat(SeriesRepository.studyDate("2024")).isNull();
        assertThat(SeriesRepository.studyDate("")).isNull();
        assertThat(SeriesRepository.studyDate(null)).isNull();
    }
}
