package org.seggateway.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintStream;
import java.time.Duration;

/**
 * Follows a reprocessing batch ({@code GET /api/reprocess/{id}}) until it ends, drawing its progress on one line:
 * redrawn in place on a terminal, a new line at each change otherwise (logs, CI).
 */
final class BatchProgressBar {
    private static final int WIDTH = 30;

    private BatchProgressBar() {}

    /** Returns the batch's last progress, once its state is no longer running. */
    static JsonNode follow(GatewayApi api, String batchId, Duration every, PrintStream out) throws Exception {
        boolean terminal = System.console() != null;
        String last = "";
        while (true) {
            JsonNode progress = api.get("/api/reprocess/" + batchId);
            String line = line(progress);
            if (!line.equals(last)) {
                if (terminal) out.print("\r" + line + "   ");
                else out.println(line);
                out.flush();
                last = line;
            }
            if (!"running".equals(progress.path("state").asText())) {
                if (terminal) out.println();
                return progress;
            }
            Thread.sleep(every.toMillis());
        }
    }

    static String line(JsonNode p) {
        int total = p.path("total").asInt(), done = p.path("done").asInt(), failed = p.path("failed").asInt(),
                cancelled = p.path("cancelled").asInt();
        int finished = done + failed + cancelled;
        int filled = total == 0 ? WIDTH : finished * WIDTH / total;
        StringBuilder s = new StringBuilder("[").append("#".repeat(filled)).append("-".repeat(WIDTH - filled)).append("] ");
        s.append(finished).append('/').append(total).append(" finished: ").append(done).append(" done, ").append(failed)
                .append(" failed");
        if (cancelled > 0) s.append(", ").append(cancelled).append(" cancelled");
        s.append(" | ").append(p.path("queued").asInt() + p.path("running").asInt()).append(" on the queue, ")
                .append(p.path("waiting").asInt()).append(" waiting");
        JsonNode eta = p.path("etaSeconds");
        if (eta.isNumber()) s.append(" | ETA ").append(duration(eta.asLong()));
        String state = p.path("state").asText();
        if (!"running".equals(state)) s.append(" | ").append(state);
        return s.toString();
    }

    private static String duration(long seconds) {
        return seconds >= 3600 ? "%dh%02dm".formatted(seconds / 3600, seconds % 3600 / 60)
                : seconds >= 60 ? "%dm%02ds".formatted(seconds / 60, seconds % 60) : seconds + "s";
    }
}
