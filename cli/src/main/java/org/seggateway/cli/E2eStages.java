package org.seggateway.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The stages of one series through the product, from the job as {@code GET /api/jobs/{id}} shows it (the gateway's
 * recorded instants and the stage seconds it and the worker report) and three wall-clock instants taken by the bench:
 * the first C-STORE sent, the last C-STORE answered, the SEG stored at the receiver. All on one host, one clock.
 *
 * @param gatewayOverheadSeconds what the product adds to the network's own time: from the last instance stored (the
 *                               gateway's {@code lastReceived}) to the SEG stored at the receiver, less the quiet time
 *                               and the worker's inference ({@code total})
 */
record E2eStages(List<Stage> stages, double totalSeconds, double quietSeconds, double gatewayOverheadSeconds) {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Stage keys shown in rows of their own; every other key is a part of the worker's {@code total}, shown under it. */
    private static final Set<String> GATEWAY_KEYS = Set.of("assemble", "publish", "segBuild", "segWrite", "measure", "total", "fetch",
            "resultPrepare", "resultFetch");

    /** One row: {@code part} rows are breakdowns of the row above and do not add to the total. */
    record Stage(String name, double seconds, String source, boolean part) {
    }

    static E2eStages of(String jobJson, Instant firstStoreSent, Instant lastStoreAnswered, Instant segStored) throws IOException {
        JsonNode job = JSON.readTree(jobJson);
        JsonNode t = job.path("timings");
        JsonNode s = t.path("stageSeconds");
        Instant firstReceived = instant(t, "firstReceived"), lastReceived = instant(t, "lastReceived"),
                complete = instant(t, "complete"), queued = instant(t, "queued"), finished = instant(t, "finished");
        if (firstReceived == null || lastReceived == null || complete == null || queued == null || finished == null)
            throw new IOException("job " + job.path("id").asText() + " lacks recorded instants (state " + job.path("state").asText()
                    + "): " + t);
        double assemble = s.path("assemble").asDouble(), publish = s.path("publish").asDouble(),
                segBuild = s.path("segBuild").asDouble(), infer = s.path("total").asDouble();

        List<Stage> stages = new ArrayList<>();
        stages.add(new Stage("receive: first C-STORE sent to last answered", seconds(firstStoreSent, lastStoreAnswered),
                "storescu wall clock", false));
        stages.add(new Stage("receive: first to last instance stored", seconds(firstReceived, lastReceived), "job timings", true));
        double quiet = seconds(lastReceived, complete);
        stages.add(new Stage("quiet time (excluded from the total)", quiet, "job: lastReceived to complete", false));
        stages.add(new Stage("dispatch: complete to assembly start", seconds(complete, queued) - assemble - publish,
                "job: complete to queued, less assemble and publish", false));
        stages.add(new Stage("assemble (spool files to volume)", assemble, "gateway stage seconds", false));
        stages.add(new Stage("queue: publish to seg.jobs", publish, "gateway stage seconds", false));
        stages.add(new Stage("queue: to the worker and back", seconds(queued, finished) - infer - segBuild,
                "job: queued to finished, less infer and SEG build", false));
        if (s.path("fetch").isNumber())
            stages.add(new Stage("queue: worker's fetch, job header to last chunk", s.path("fetch").asDouble(), "worker stage seconds", true));
        if (s.path("resultFetch").isNumber())
            stages.add(new Stage("queue: gateway's fetch, result header to last chunk", s.path("resultFetch").asDouble(),
                    "gateway stage seconds", true));
        if (s.path("resultPrepare").isNumber())
            stages.add(new Stage("queue: of which the job and its source headers looked up", s.path("resultPrepare").asDouble(),
                    "gateway stage seconds", true));
        stages.add(new Stage("infer (worker)", infer, "worker stage seconds (total)", false));
        s.properties().forEach(e -> {
            if (!GATEWAY_KEYS.contains(e.getKey()) && e.getValue().isNumber())
                stages.add(new Stage("infer: " + e.getKey(), e.getValue().asDouble(), "worker stage seconds", true));
        });
        stages.add(new Stage("SEG build", segBuild, "gateway stage seconds", false));
        for (String part : List.of("segWrite", "measure"))
            if (s.path(part).isNumber())
                stages.add(new Stage("SEG build: " + (part.equals("segWrite") ? "SEG file written" : "measurements and report"),
                        s.path(part).asDouble(), "gateway stage seconds", true));
        stages.add(new Stage("deliver: job done to SEG stored at the receiver", seconds(finished, segStored),
                "job finished to receiver wall clock", false));
        double total = seconds(firstStoreSent, segStored) - quiet;
        double overhead = seconds(lastReceived, segStored) - quiet - infer;
        return new E2eStages(List.copyOf(stages), total, quiet, overhead);
    }

    private static double seconds(Instant from, Instant to) {
        return Duration.between(from, to).toNanos() / 1e9;
    }

    private static Instant instant(JsonNode node, String field) {
        JsonNode v = node.path(field);
        return v.isTextual() ? Instant.parse(v.asText()) : null;
    }
}
