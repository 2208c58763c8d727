package org.seggateway.cli;

import java.nio.file.Path;
import java.util.Map;

/**
 * What a demo run produced.
 *
 * @param segFile           the SEG as the stand-in PACS stored it
 * @param seconds           wall-clock seconds per demo step ({@code services}, {@code gateway}, {@code send},
 *                          {@code wait}, {@code total}, ...), in the order they happened
 * @param jobStageSeconds   per-stage seconds of the job from {@code GET /api/jobs/{id}}; empty if the API had none
 */
record DemoReport(Path segFile, String segSopInstanceUid, String segSeriesInstanceUid, int frames, String destination,
                  String sentSeriesInstanceUid, int sentInstances, Map<String, Double> seconds, Map<String, Double> jobStageSeconds,
                  String jobJson) {
}
