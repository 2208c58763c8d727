package org.seggateway.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** The demo's reading of a job from {@code GET /api/jobs/{id}}. */
class DemoStagesTest {

    @Test
    void spansBetweenRecordedInstantsAndReportedStageSeconds() {
        String job = """
                {"id": "7d0f2c52-5f8e-4d7e-9c53-0d3c0e7f6b11", "seriesInstanceUid": "1.2.3", "state": "done",
                 "timings": {"firstReceived": "2026-01-01T10:00:00Z", "lastReceived": "2026-01-01T10:00:01.500Z",
                             "complete": "2026-01-01T10:00:03.500Z", "queued": "2026-01-01T10:00:04Z",
                             "started": "2026-01-01T10:00:04.250Z", "finished": "2026-01-01T10:00:14.250Z",
                             "stageSeconds": {"assemble": 0.3, "infer": 9.5, "note": "not a number"}},
                 "deliveries": [{"destination": "demo-pacs", "state": "delivered", "delivered": "2026-01-01T10:00:15Z"}]}
                """;
        Map<String, Double> stages = Demo.stageSeconds(job);
        assertThat(stages).containsOnlyKeys("receive (first to last)", "quiet time", "complete to queued", "queued to worker start",
                "worker start to finished", "finished to delivered (demo-pacs)", "stage assemble", "stage infer");
        assertThat(stages.get("receive (first to last)")).isCloseTo(1.5, within(1e-9));
        assertThat(stages.get("quiet time")).isCloseTo(2.0, within(1e-9));
        assertThat(stages.get("worker start to finished")).isCloseTo(10.0, within(1e-9));
        assertThat(stages.get("finished to delivered (demo-pacs)")).isCloseTo(0.75, within(1e-9));
        assertThat(stages.get("stage infer")).isCloseTo(9.5, within(1e-9));
    }

    @Test
    void missingInstantsLeaveTheirSpansOut() {
        assertThat(Demo.stageSeconds("{\"timings\": {\"queued\": \"2026-01-01T10:00:04Z\"}}")).isEmpty();
        assertThat(Demo.stageSeconds("not json")).isEmpty();
    }
}
