package org.seggateway.it.pipeline;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.seggateway.cli.Bcrypt;
import org.seggateway.local.ChildJava;
import org.seggateway.local.FreePorts;

/**
 * The packaged Quarkus gateway ({@code gateway/target/quarkus-app/quarkus-run.jar}, built by the reactor before this
 * module) as its own JVM, configured as a hospital would: the connection settings by environment variables, routes and
 * destinations in {@code config/application.properties} of its working folder. A process, so that a test can kill it
 * and start it again on the same spool and database.
 */
public final class GatewayProcess implements AutoCloseable {
    /** Set by the pom; the reactor builds the gateway before this module. */
    private static final String APPLICATION_PROPERTY = "seggateway.gateway.app";
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    /** The API user {@link #get} calls as (docs/operator-guide.md: Access control), added to every configuration written. */
    /** The API user of the tests: roles viewer and operator. */
    public static final String API_USER = "it-user", API_PASSWORD = "it-user-" + UUID.randomUUID();

    private final Path directory;
    private final Map<String, String> environment;
    private final int httpPort;
    private final String maxHeap;
    private Process process;

    private GatewayProcess(Path directory, Map<String, String> environment, int httpPort, String maxHeap) {
        this.directory = directory;
        this.environment = environment;
        this.httpPort = httpPort;
        this.maxHeap = maxHeap;
    }

    /**
     * Writes {@code properties} to {@code directory/config/application.properties}, starts the gateway there with
     * {@code environment} added to this JVM's, and returns once {@code /q/health/ready} answers 200.
     */
    public static GatewayProcess start(Path directory, Map<String, String> environment, Map<String, String> properties)
            throws IOException, InterruptedException {
        return start(directory, environment, properties, "768m");
    }

    /** The same with the gateway's heap limited to {@code maxHeap} ({@code -Xmx}, e.g. {@code 256m}). */
    public static GatewayProcess start(Path directory, Map<String, String> environment, Map<String, String> properties,
                                       String maxHeap) throws IOException, InterruptedException {
        Files.createDirectories(directory.resolve("config"));
        Map<String, String> withApiUser = new LinkedHashMap<>(properties);
        withApiUser.put("seg-gateway.users." + API_USER + ".password-hash", Bcrypt.hash(API_PASSWORD.toCharArray(), Bcrypt.MIN_COST));
        withApiUser.put("seg-gateway.users." + API_USER + ".roles", "viewer,operator");
        Files.writeString(directory.resolve("config").resolve("application.properties"), withApiUser.entrySet().stream()
                .map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining("\n", "", "\n")));
        int httpPort = FreePorts.next();
        Map<String, String> env = new LinkedHashMap<>(environment);
        env.put("QUARKUS_HTTP_PORT", Integer.toString(httpPort));
        GatewayProcess gateway = new GatewayProcess(directory, Map.copyOf(env), httpPort, maxHeap);
        gateway.launch();
        return gateway;
    }

    /** Starts the gateway again after {@link #kill()} or {@link #stop()}, same configuration and ports. */
    public void launch() throws IOException, InterruptedException {
        if (process != null && process.isAlive()) throw new IllegalStateException("the gateway is running");
        List<String> command = new ArrayList<>(List.of(ChildJava.executable(), "-Xmx" + maxHeap, "-XX:+UseSerialGC", "-jar", application().toString()));
        ProcessBuilder pb = new ProcessBuilder(command).directory(directory.toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log().toFile()));
        pb.environment().putAll(environment);
        process = pb.start();
        try {
            awaitReady(Duration.ofSeconds(120));
        } catch (IOException | InterruptedException | RuntimeException e) {
            process.destroyForcibly(); // a gateway that never got ready must not outlive the test
            throw e;
        }
    }

    /** SIGKILL, as a crash or a pulled plug. */
    public void kill() throws InterruptedException {
        if (process == null) return;
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    /** SIGTERM: Quarkus shuts down in order. */
    public void stop() throws InterruptedException {
        if (process == null || !process.isAlive()) return;
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) kill();
    }

    public boolean isAlive() {
        return process != null && process.isAlive();
    }

    /** The gateway JVM's process id, e.g. for {@code jcmd}. */
    public long pid() {
        return process.pid();
    }

    public int httpPort() {
        return httpPort;
    }

    public Path log() {
        return directory.resolve("gateway.log");
    }

    /** GET on the gateway's HTTP port; the body of a 200 answer, else an exception with the status. */
    public String get(String path) throws IOException, InterruptedException {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + path))
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                        (API_USER + ":" + API_PASSWORD).getBytes(StandardCharsets.UTF_8)))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) throw new IOException("gateway GET " + path + " -> " + r.statusCode() + ": " + r.body());
        return r.body();
    }

    @Override
    public void close() throws InterruptedException {
        stop();
    }

    private void awaitReady(Duration timeout) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        String last = "no answer";
        while (System.nanoTime() < deadline) {
            if (!process.isAlive())
                throw new IOException("the gateway exited with " + process.exitValue() + "; log " + log() + ":\n" + tail());
            try {
                get("/q/health/ready");
                return;
            } catch (IOException notYet) {
                last = notYet.getMessage();
            }
            Thread.sleep(250);
        }
        throw new IOException("the gateway was not ready within " + timeout + " (" + last + "); log " + log() + ":\n" + tail());
    }

    private String tail() throws IOException {
        List<String> lines = Files.readAllLines(log());
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    }

    private static Path application() throws IOException {
        String configured = System.getProperty(APPLICATION_PROPERTY);
        Path jar = configured != null ? Path.of(configured) : Path.of("../gateway/target/quarkus-app/quarkus-run.jar");
        if (!Files.isRegularFile(jar))
            throw new IOException("no packaged gateway at " + jar.toAbsolutePath() + ": build it first (./mvnw -pl gateway -am package)");
        return jar.toAbsolutePath();
    }
}
