package org.seggateway.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.stream.Collectors;
import org.seggateway.dicomio.net.RemoteAe;
import org.seggateway.local.ChildJava;
import org.seggateway.local.LocalKafka;
import org.seggateway.local.PostgresDatabase;

/**
 * The pieces the demo and {@code bench e2e} both start on loopback: a Kafka broker, the gateway's configuration (one CT
 * route, one model, one SEG destination) and a worker child JVM.
 */
final class LocalPipeline {
    static final String GATEWAY_AE = "SEGGATEWAY";

    private LocalPipeline() {
    }

    /**
     * The gateway's {@code config/application.properties}.
     *
     * @param writtenBy    the command that wrote it (a comment in the file)
     * @param name         prefix of the route ({@code NAME-ct}) and destination ({@code NAME-pacs}) names
     * @param destination  where the SEGs go
     * @param apiUser      a viewer and operator on the REST API, to read the job's stages and start reprocessing
     */
    record GatewayConfiguration(String writtenBy, String name, PostgresDatabase database, String bootstrapServers, int httpPort,
                                int scpPort, Path spool, Duration quietTime, Path modelPackage, RemoteAe destination,
                                ApiUser apiUser) {

        void write(Path gatewayDir) throws IOException {
            write(gatewayDir, Map.of());
        }

        /** With {@code more} properties after these (a cluster's replication, a gateway's own transactional id). */
        void write(Path gatewayDir, Map<String, String> more) throws IOException {
            String properties = String.join("\n",
                    "# written by bin/seg-gateway " + writtenBy + "; Quarkus reads config/application.properties of the working folder",
                    "quarkus.http.host=127.0.0.1",
                    "quarkus.http.port=" + httpPort,
                    "quarkus.datasource.jdbc.url=" + database.jdbcUrl(),
                    "quarkus.datasource.username=" + database.username(),
                    "quarkus.datasource.password=" + database.password(),
                    "kafka.bootstrap.servers=" + bootstrapServers,
                    "seg-gateway.spool=" + spool,
                    "seg-gateway.scp.bind-address=127.0.0.1",
                    "seg-gateway.scp.port=" + scpPort,
                    "seg-gateway.scp.ae-title=" + GATEWAY_AE,
                    "seg-gateway.queue.dispatch-every=1s",
                    "seg-gateway.routes." + name + "-ct.match.modalities=CT",
                    "seg-gateway.routes." + name + "-ct.quiet-time=" + quietTime.toMillis() + "ms",
                    "seg-gateway.model-root=" + modelPackage.toAbsolutePath().getParent(),
                    "seg-gateway.routes." + name + "-ct.models=" + modelPackage.getFileName(),
                    "seg-gateway.routes." + name + "-ct.destinations=" + name + "-pacs",
                    "seg-gateway.destinations." + name + "-pacs.host=" + destination.host(),
                    "seg-gateway.destinations." + name + "-pacs.port=" + destination.port(),
                    "seg-gateway.destinations." + name + "-pacs.ae-title=" + destination.aeTitle(),
                    "# the " + writtenBy + " API user (reads the job's stages, starts reprocessing)",
                    "seg-gateway.users." + apiUser.name() + ".password-hash=" + apiUser.passwordHash(),
                    "seg-gateway.users." + apiUser.name() + ".roles=viewer,operator",
                    "")
                    + more.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue() + "\n").collect(Collectors.joining());
            Path config = Files.createDirectories(gatewayDir.resolve("config")).resolve("application.properties");
            Files.writeString(config, properties);
            Files.setPosixFilePermissions(config, PosixFilePermissions.fromString("rw-------"));  // holds the database password
        }
    }

    /** {@code seg-gateway worker} as a child JVM with heap {@code maxHeap} (e.g. {@code 2g}). */
    static List<String> workerCommand(String maxHeap, LocalKafka kafka, Path modelPackage, String workerId, String provider) {
        return workerCommand(maxHeap, kafka.bootstrapServers(), modelPackage, workerId, provider, List.of());
    }

    /** The same with more {@code seg-gateway worker} options. */
    static List<String> workerCommand(String maxHeap, String bootstrapServers, Path modelPackage, String workerId, String provider,
                                      List<String> moreOptions) {
        List<String> command = new ArrayList<>(List.of(ChildJava.executable(), "-Xmx" + maxHeap,
                "-Dorg.slf4j.simpleLogger.defaultLogLevel=info", "-Dorg.slf4j.simpleLogger.log.org.apache.kafka=warn", "-cp",
                ChildJava.classPath(), SegGateway.class.getName(), "worker", "--bootstrap-servers", bootstrapServers, "--models",
                modelPackage.toString(), "--worker-id", workerId, "--provider", provider));
        command.addAll(moreOptions);
        return command;
    }

    /** Starts a broker in {@code dir} in the background (it takes seconds) and registers it with {@code stop}. */
    static CompletableFuture<LocalKafka> startKafka(Path dir, StopOnExit stop) {
        CompletableFuture<LocalKafka> starting = CompletableFuture.supplyAsync(() -> {
            try {
                return LocalKafka.start(dir);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        stop.add("Kafka broker", () -> {
            if (!starting.isCompletedExceptionally()) starting.join().close();
        });
        return starting;
    }

    /** The started broker, or the exception that stopped it from starting. */
    static LocalKafka started(CompletableFuture<LocalKafka> kafka) throws Exception {
        try {
            return kafka.get();
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() instanceof UncheckedIOException u ? u.getCause() : e.getCause();
            if (cause instanceof Exception ex) throw ex;
            throw e;
        }
    }
}
