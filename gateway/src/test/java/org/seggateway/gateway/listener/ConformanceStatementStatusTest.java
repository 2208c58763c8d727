package org.seggateway.gateway.listener;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.seggateway.dicomio.net.DimseStatus;
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
}
