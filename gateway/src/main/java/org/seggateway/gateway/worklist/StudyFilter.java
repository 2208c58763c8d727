package org.seggateway.gateway.worklist;

import java.time.Instant;
import java.time.LocalDate;

/**
 * Which studies to list; null fields do not filter. {@code from}/{@code to}: studies that received an instance at or
 * after {@code from} and began before {@code to}. {@code patientName}, {@code description} and {@code model}: a part of the
 * value, case-insensitive; {@code studyDateFrom}/{@code studyDateTo}: Study Date within, both inclusive; {@code modality}
 * and {@code bodyPart}: one series of the study has it (case-insensitive); {@code warnings}: whether a latest job has a
 * warning.
 */
public record StudyFilter(String accessionNumber, String patientId, String studyInstanceUid, Instant from, Instant to,
                          StudyStatus status, String patientName, LocalDate studyDateFrom, LocalDate studyDateTo,
                          String description, String modality, String bodyPart, String model, Boolean warnings) {

    /** Only the one study. */
    public static StudyFilter study(String studyInstanceUid) {
        return new StudyFilter(null, null, studyInstanceUid, null, null, null, null, null, null, null, null, null, null, null);
    }
}
