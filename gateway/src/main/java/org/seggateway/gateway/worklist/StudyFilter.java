package org.seggateway.gateway.worklist;

import java.time.Instant;

/**
 * Which studies to list; null fields do not filter. {@code from}/{@code to}: studies that received an instance at or
 * after {@code from} and began before {@code to}.
 */
public record StudyFilter(String accessionNumber, String patientId, String studyInstanceUid, Instant from, Instant to,
                          StudyStatus status) {
}
