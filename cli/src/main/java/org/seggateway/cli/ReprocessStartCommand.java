package org.seggateway.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code POST /api/reprocess}, then the batch's progress until it ends. */
@Command(name = "start", mixinStandardHelpOptions = true,
        description = {"Runs a model package over past series: those of --study, or those received between --from and --to,",
                "narrowed by --route and --previous-model. Prints the plan (--dry-run stops there), then a progress bar until",
                "the batch ends. Exit 0: every job done; 1: a job failed or the batch was cancelled; 2: refused or unreachable."})
final class ReprocessStartCommand implements Callable<Integer> {
    @Mixin
    GatewayApi api;

    @Option(names = "--study", description = "a Study Instance UID (repeatable)")
    List<String> studies = List.of();

    @Option(names = "--from", description = "series with an instance received at or after this time (ISO-8601 instant or date)")
    String from;

    @Option(names = "--to", description = "series first received before this time (a date: up to its end)")
    String to;

    @Option(names = "--route", description = "only series this route processed")
    String route;

    @Option(names = "--previous-model", description = "only series a model of this name ran on")
    String previousModel;

    @Option(names = "--model", required = true, description = "the model package to run, as a route names it")
    String model;

    @Option(names = "--model-version", description = "the version the package must declare (refused otherwise)")
    String modelVersion;

    @Option(names = "--reason", required = true, description = "why, for the audit trail")
    String reason;

    @Option(names = "--dry-run", description = "only print what would be reprocessed")
    boolean dryRun;

    @Option(names = "--no-wait", description = "print the batch id and return at once")
    boolean noWait;

    @Option(names = "--poll", description = "progress poll interval (default: ${DEFAULT-VALUE})", defaultValue = "2s")
    String poll;

    @Override
    public Integer call() throws Exception {
        PrintStream out = System.out;
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("studyUids", studies);
        body.put("from", from);
        body.put("to", to);
        body.put("route", route);
        body.put("previousModel", previousModel);
        body.put("model", model);
        body.put("modelVersion", modelVersion);
        body.put("reason", reason);
        body.put("dryRun", dryRun);
        JsonNode answer;
        try {
            answer = api.post("/api/reprocess", body);
        } catch (IOException | IllegalArgumentException e) {
            System.err.println("reprocess: " + e.getMessage());
            return 2;
        }
        printPlan(answer.path("plan"), out);
        if (dryRun) return 0;
        String batch = answer.path("batchId").asText();
        out.println("batch " + batch);
        if (noWait) return 0;
        JsonNode last = BatchProgressBar.follow(api, batch, Duration.parse("PT" + poll.toUpperCase(java.util.Locale.ROOT)), out);
        return ReprocessStatusCommand.report(last, out);
    }

    static void printPlan(JsonNode plan, PrintStream out) {
        out.printf("model %s %s (%s): %d series%n", plan.path("modelName").asText(), plan.path("modelVersion").asText(),
                plan.path("modelPackage").asText(), plan.path("series").size());
        for (JsonNode s : plan.path("series"))
            out.printf("  series %s (study %s), route %s, %d instances from the %s%s%n", s.path("seriesInstanceUid").asText(),
                    s.path("studyInstanceUid").asText(), s.path("route").asText(), s.path("instances").asInt(), s.path("source").asText(),
                    s.path("missingFromSpool").asInt() > 0 ? " (" + s.path("missingFromSpool").asInt() + " not in the spool)" : "");
        for (JsonNode l : plan.path("leftOut"))
            out.printf("  left out: study %s%s: %s%n", l.path("studyInstanceUid").asText(),
                    l.hasNonNull("seriesInstanceUid") ? " series " + l.path("seriesInstanceUid").asText() : "", l.path("reason").asText());
    }
}
