package org.seggateway.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import org.seggateway.local.PostgresDatabase;

/** The configuration of a packaged gateway that only ingests (queue off), as the ingest benchmarks start it. */
final class IngestGatewayConfiguration {
    private IngestGatewayConfiguration() {}

    /** Writes {@code gatewayDir/config/application.properties} (owner-only: it holds the database password). */
    static void write(String bench, Path gatewayDir, PostgresDatabase db, int httpPort, int scpPort, Path spool,
                      List<String> moreProperties) throws IOException {
        List<String> lines = new ArrayList<>(List.of(
                "# written by bin/seg-gateway " + bench,
                "quarkus.http.host=127.0.0.1",
                "quarkus.http.port=" + httpPort,
                "quarkus.datasource.jdbc.url=" + db.jdbcUrl(),
                "quarkus.datasource.username=" + db.username(),
                "quarkus.datasource.password=" + db.password(),
                "seg-gateway.queue.enabled=false",
                "seg-gateway.spool=" + spool,
                "seg-gateway.scp.bind-address=127.0.0.1",
                "seg-gateway.scp.port=" + scpPort,
                "seg-gateway.scp.ae-title=" + LocalPipeline.GATEWAY_AE));
        lines.addAll(moreProperties);
        Path config = Files.createDirectories(gatewayDir.resolve("config")).resolve("application.properties");
        Files.writeString(config, String.join("\n", lines) + "\n");
        Files.setPosixFilePermissions(config, PosixFilePermissions.fromString("rw-------"));
    }
}
