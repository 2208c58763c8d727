package org.seggateway.dicomio.seg;

import java.nio.file.Path;

/** A measurement report (Enhanced SR, TID 1500) that {@link MeasurementReportWriter} wrote beside a SEG. */
public record WrittenMeasurementReport(Path file, String sopInstanceUid, String seriesInstanceUid, int measurementGroups) {
}
