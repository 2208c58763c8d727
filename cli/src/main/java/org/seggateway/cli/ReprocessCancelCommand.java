package org.seggateway.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code POST /api/reprocess/{id}/cancel}. */
@Command(name = "cancel", mixinStandardHelpOptions = true,
        description = "Cancels a running batch: its jobs not yet on the queue are cancelled, those on the queue finish.")
final class ReprocessCancelCommand implements Callable<Integer> {
    @Mixin
    GatewayApi api;

    @Parameters(index = "0", description = "batch id")
    String batch;

    @Override
    public Integer call() throws Exception {
        try {
            JsonNode progress = api.post("/api/reprocess/" + batch + "/cancel", java.util.Map.of());
            System.out.println(BatchProgressBar.line(progress));
            return 0;
        } catch (IOException | IllegalArgumentException e) {
            System.err.println("reprocess: " + e.getMessage());
            return 2;
        }
    }
}
