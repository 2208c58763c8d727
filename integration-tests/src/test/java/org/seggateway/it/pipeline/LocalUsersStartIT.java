package org.seggateway.it.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.seggateway.cli.SegGateway;

/**
 * The packaged gateway's local users: a hash printed by {@code seg-gateway hash-password} signs in (a wrong password
 * is 401), and an unsalted SHA-256 digest, in the former or the new setting, stops the start with how to make a hash.
 */
class LocalUsersStartIT {
    /** HEX(SHA-256("alice:seg-gateway:secret")), the former quarkus.security.users.embedded form. */
    private static final String SHA_256_DIGEST = "6b501f122249eb650936bb4f0182054692f1daaad65ee017ce22ba2b8671c797";

    @TempDir
    Path directory;

    @Test
    void aHashPasswordHashSignsInAndASha256DigestStopsTheStart() throws Exception {
        try (PipelineDatabase database = PipelineDatabase.create(directory.resolve("postgres"))) {
            Map<String, String> env = new LinkedHashMap<>();
            env.put("QUARKUS_DATASOURCE_JDBC_URL", database.jdbcUrl());
            env.put("QUARKUS_DATASOURCE_USERNAME", database.username());
            env.put("QUARKUS_DATASOURCE_PASSWORD", database.password());
            env.put("SEG_GATEWAY_QUEUE_ENABLED", "false");
            env.put("SEG_GATEWAY_SCP_ENABLED", "false");
            env.put("SEG_GATEWAY_SPOOL", directory.resolve("spool").toString());

            assertThatThrownBy(() -> GatewayProcess.start(directory.resolve("former"), env,
                    Map.of("quarkus.security.users.embedded.users.alice", SHA_256_DIGEST,
                            "quarkus.security.users.embedded.roles.alice", "viewer")).close())
                    .hasMessageContaining("quarkus.security.users.embedded.users.alice is no longer read")
                    .hasMessageContaining("bin/seg-gateway hash-password");
            assertThatThrownBy(() -> GatewayProcess.start(directory.resolve("digest"), env,
                    Map.of("seg-gateway.users.alice.password-hash", SHA_256_DIGEST, "seg-gateway.users.alice.roles", "viewer")).close())
                    .hasMessageContaining("seg-gateway.users.alice.password-hash holds an unsalted SHA-256 digest")
                    .hasMessageContaining("bin/seg-gateway hash-password");

            String hash = hashPassword("alice's secret\n");
            assertThat(hash).startsWith("$2a$12$");
            try (GatewayProcess gateway = GatewayProcess.start(directory.resolve("bcrypt"), env,
                    Map.of("seg-gateway.users.alice.password-hash", hash, "seg-gateway.users.alice.roles", "viewer"))) {
                assertThat(status(gateway, "alice", "alice's secret")).isEqualTo(200);
                assertThat(status(gateway, "alice", "alice's secreT")).isEqualTo(401);
                assertThat(status(gateway, "mallory", "alice's secret")).isEqualTo(401);
                assertThat(gateway.get("/api/jobs")).startsWith("{"); // GatewayProcess's own bcrypt user
            }
        }
    }

    /** What {@code seg-gateway hash-password} prints for the password on stdin. */
    private static String hashPassword(String stdin) {
        InputStream oldIn = System.in;
        PrintStream oldOut = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            System.setIn(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)));
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            assertThat(SegGateway.run("hash-password")).isZero();
        } finally {
            System.setIn(oldIn);
            System.setOut(oldOut);
        }
        return out.toString(StandardCharsets.UTF_8).strip();
    }

    private static int status(GatewayProcess gateway, String user, String password) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway.httpPort() + "/api/jobs"))
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8)))
                .timeout(Duration.ofSeconds(10)).build();
        return HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
    }
}
