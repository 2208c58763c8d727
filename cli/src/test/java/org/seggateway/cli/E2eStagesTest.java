package org.seggateway.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.time.Instant;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The end-to-end bench's stages from a job of {@code GET /api/jobs/{id}} and the bench's own clock readings. */
class E2eStagesTest {
    static final String JOB = """
            {"id": "7d0f2c52-5f8e-4d7e-9c53-0d3c0e7f6b11", "state": "done",
             "timings": {"firstReceived": "2026-01-01T10:00:00.100Z", "lastReceived": "2026-01-01T10:00:06Z",
                         "complete": "2026-01-01T10:00:08.500Z", "queued": "2026-01-01T10:00:11Z",
                         "finished": "2026-01-01T10:00:31Z",
                         "stageSeconds": {"assemble": 1.5, "publish": 0.5, "segBuild": 2.0, "total": 15.0,
                                          "preprocess": 1.0, "inference": 13.0}}}
            """;

    @Test
    void splitsTheWayOfASeriesIntoStagesThatAddUpToTheWallClock() throws IOException {
        E2eStages e = E2eStages.of(JOB, Instant.parse("2026-01-01T10:00:00Z"), Instant.parse("2026-01-01T10:00:06.050Z"),
                Instant.parse("2026-01-01T10:00:32.250Z"));
        Map<String, Double> s = e.stages().stream().collect(Collectors.toMap(E2eStages.Stage::name, E2eStages.Stage::seconds));
        assertThat(s.get("receive: first C-STORE sent to last answered")).isCloseTo(6.05, within(1e-9));
        assertThat(s.get("quiet time (excluded from the total)")).isCloseTo(2.5, within(1e-9));
        assertThat(s.get("dispatch: complete to assembly start")).isCloseTo(0.5, within(1e-9));
        assertThat(s.get("queue: to the worker and back")).isCloseTo(3.0, within(1e-9));
        assertThat(s.get("infer (worker)")).isCloseTo(15.0, within(1e-9));
        assertThat(s.get("infer: inference")).isCloseTo(13.0, within(1e-9));
        assertThat(s.get("deliver: job done to SEG stored at the receiver")).isCloseTo(1.25, within(1e-9));
        assertThat(e.totalSeconds()).isCloseTo(32.25 - 2.5, within(1e-9));
        // lastReceived 10:00:06 to SEG stored 10:00:32.25, less 2.5 s quiet and 15 s of inference
        assertThat(e.gatewayOverheadSeconds()).isCloseTo(26.25 - 2.5 - 15.0, within(1e-9));
        // the top-level stages, less the quiet time, cover the wall clock but for the gap between the last answer
        // and the gateway's lastReceived (here 0.05 s before it: answered after the row was committed)
        double sum = e.stages().stream().filter(st -> !st.part()).mapToDouble(E2eStages.Stage::seconds).sum() - e.quietSeconds();
        assertThat(sum).isCloseTo(e.totalSeconds() + 0.05, within(1e-9));
    }

    @Test
    void fetchesAndSegBuildPartsAreShownUnderTheirStagesNotAsInference() throws IOException {
        String job = JOB.replace("\"inference\": 13.0}", "\"inference\": 13.0, \"fetch\": 0.4, \"resultFetch\": 0.3,"
                + " \"resultPrepare\": 0.1, \"segWrite\": 1.2, \"measure\": 0.8}");
        E2eStages e = E2eStages.of(job, Instant.parse("2026-01-01T10:00:00Z"), Instant.parse("2026-01-01T10:00:06.050Z"),
                Instant.parse("2026-01-01T10:00:32.250Z"));
        var names = e.stages().stream().map(E2eStages.Stage::name).toList();
        assertThat(names).containsSubsequence("queue: to the worker and back", "queue: worker's fetch, job header to last chunk",
                "queue: gateway's fetch, result header to last chunk", "infer (worker)", "SEG build", "SEG build: SEG file written",
                "SEG build: measurements and report");
        assertThat(names).noneMatch(n -> n.startsWith("infer: fetch") || n.startsWith("infer: segWrite") || n.startsWith("infer: result"));
        assertThat(e.stages()).filteredOn(st -> st.name().equals("SEG build: SEG file written")).singleElement()
                .satisfies(st -> assertThat(st.part()).isTrue());
        assertThat(e.gatewayOverheadSeconds()).isCloseTo(26.25 - 2.5 - 15.0, within(1e-9));
    }

    @Test
    void aJobWithoutItsInstantsIsAClearError() {
        assertThatThrownBy(() -> E2eStages.of("{\"id\": \"x\", \"state\": \"queued\", \"timings\": {}}", Instant.now(), Instant.now(),
                Instant.now())).isInstanceOf(IOException.class).hasMessageContaining("job x").hasMessageContaining("queued");
    }
}
