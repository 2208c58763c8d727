package org.seggateway.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code GET /api/reprocess/{id}}: where a batch stands, or (--wait) a progress bar until it ends. */
@Command(name = "status", mixinStandardHelpOptions = true,
        description = "A batch's progress and its jobs. Exit 0: running, or ended with every job done; 1: a job failed or cancelled.")
final class ReprocessStatusCommand implements Callable<Integer> {
    @Mixin
    GatewayApi api;

    @Parameters(index = "0", description = "batch id")
    String batch;

    @Option(names = "--wait", description = "follow the batch until it ends")
    boolean follow;

    @Override
    public Integer call() throws Exception {
        try {
            JsonNode progress = follow ? BatchProgressBar.follow(api, batch, Duration.ofSeconds(2), System.out)
                    : api.get("/api/reprocess/" + batch);
            if (!follow) System.out.println(BatchProgressBar.line(progress));
            return report(progress, System.out);
        } catch (IOException | IllegalArgumentException e) {
            System.err.println("reprocess: " + e.getMessage());
            return 2;
        }
    }

    /** Prints the jobs that did not end done, and the new SEG of those that did; the exit status. */
    static int report(JsonNode progress, PrintStream out) {
        for (JsonNode job : progress.path("jobs")) {
            String state = job.path("state").asText();
            if ("done".equals(state))
                out.printf("  %s done: SEG series %s (result version %d)%n", job.path("seriesInstanceUid").asText(),
                        job.path("segSeriesInstanceUid").asText(), job.path("resultVersion").asInt());
            else
                out.printf("  %s %s%s%n", job.path("seriesInstanceUid").asText(), state,
                        job.hasNonNull("reason") ? ": " + job.path("reason").asText() : "");
        }
        boolean bad = progress.path("failed").asInt() > 0 || progress.path("cancelled").asInt() > 0
                || "cancelled".equals(progress.path("state").asText());
        return bad ? 1 : 0;
    }
}
