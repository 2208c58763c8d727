package org.seggateway.gateway.listener;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.seggateway.dicomio.net.DimseStatus;
import org.seggateway.gateway.config.GatewayConfig;
import org.seggateway.gateway.config.TestConfigs;
import org.seggateway.gateway.ingest.InvalidInstanceException.Problem;

/**
 * docs/conformance-statement.md lists every C-STORE failure status the gateway's listeners answer a refused instance
 * with, each with the general Error Comment of its kind.
 */
class ConformanceStatementStatusTest {

    private static final Path STATEMENT = Path.of("..", "docs", "conformance-statement.md");

    @Test
    void everyRefusalStatusAndItsGeneralCommentAreInTheStatement() throws IOException {
        String text = Files.readString(STATEMENT);
        List<String> statusRows = text.lines().filter(l -> l.matches("\\|\\s*0x[0-9A-F]{4}\\s*\\|.*")).toList();
        for (Problem problem : Problem.values()) {
            String status = DimseStatus.toHex(IngestHandler.status(problem));
            assertThat(statusRows).as("status table row for %s (%s)", status, problem)
                    .anyMatch(row -> row.startsWith("| " + status + " |"));
            assertThat(text).as("general Error Comment of %s", problem).contains("`" + problem.errorComment() + "`");
        }
    }

    @Test
    void theDestinationDimseKeysAndTheirDefaultsAreThoseOfTheConfiguration() throws IOException {
        String text = Files.readString(STATEMENT);
        GatewayConfig.Destination pacs = TestConfigs.gatewayConfig(Map.of("seg-gateway.spool", "/tmp/spool",
                "seg-gateway.destinations.pacs.host", "pacs", "seg-gateway.destinations.pacs.port", "104",
                "seg-gateway.destinations.pacs.ae-title", "PACS")).destinations().get("pacs");
        assertThat(text).contains("| `seg-gateway.destinations.<name>.transfer-syntaxes` | "
                + String.join(",", pacs.transferSyntaxes()) + " |");
        assertThat(pacs.tls().enabled()).isFalse();
        assertThat(text).contains("| `seg-gateway.destinations.<name>.tls.*` | off |");
        String reference = Files.readString(Path.of("..", "docs", "configuration.md"));
        for (String key : List.of("transfer-syntaxes", "tls.enabled", "tls.trust-store", "tls.key-store", "tls.verify-host-name"))
            assertThat(reference).contains("`seg-gateway.destinations.NAME." + key + "`");
        assertThat(text).contains("`tls.verify-host-name=false`");
    }
}
