package org.seggateway.cli;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.seggateway.local.ChildJava;

/**
 * The Quarkus gateway ({@code gateway/target/quarkus-app/quarkus-run.jar}) run as its own JVM. Its configuration
 * comes, as Quarkus reads it, from {@code -Dkey=value} system properties, environment variables
 * ({@code SEG_GATEWAY_SCP_PORT}...) and {@code config/application.properties} in its working folder, over the
 * defaults in the application.
 */
final class GatewayApplication {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private GatewayApplication() {
    }

    /** {@code java [jvmOptions] [-Dkey=value...] -jar quarkus-run.jar}. */
    static List<String> command(List<String> jvmOptions, Map<String, String> systemProperties) {
        List<String> command = new ArrayList<>(List.of(ChildJava.executable()));
        command.addAll(jvmOptions);
        systemProperties.forEach((k, v) -> command.add("-D" + k + "=" + v));
        command.add("-jar");
        command.add(ProjectHome.gatewayJar().toString());
        return command;
    }

    /** Waits until {@code GET /q/health/ready} answers 200 (database, Kafka and listener up), or throws. */
    static void awaitReady(ChildProcess gateway, int httpPort, Duration timeout) throws IOException, InterruptedException {
        URI ready = URI.create("http://127.0.0.1:" + httpPort + "/q/health/ready");
        long deadline = System.nanoTime() + timeout.toNanos();
        String last = "no answer";
        while (System.nanoTime() < deadline) {
            gateway.checkAlive();
            try {
                HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(ready).timeout(Duration.ofSeconds(5)).build(),
                        HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200) return;
                last = "status " + r.statusCode() + ": " + r.body().replaceAll("\\s+", " ");
            } catch (IOException notYet) {
                last = notYet.toString();
            }
            Thread.sleep(500);
        }
        throw new IOException("the gateway was not ready within " + timeout.toSeconds() + " s (" + last + "); see " + gateway.log());
    }

    /** {@code GET path} on the gateway's HTTP port as {@code user}: the body when the status is 200, else empty. */
    static Optional<String> get(int httpPort, String path, ApiUser user) throws InterruptedException {
        try {
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + path))
                    .header("Authorization", user.basicAuthorization())
                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
            return r.statusCode() == 200 ? Optional.of(r.body()) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}
