package org.seggateway.local;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Uuid;

/**
 * A real Apache Kafka broker (KRaft, broker and controller in one process) run as a child JVM from the
 * {@code org.apache.kafka:kafka_2.13} jars on this JVM's class path, on free loopback ports, with its data,
 * configuration and log in one folder. A child process, not an in-JVM server: its memory and threads stay
 * out of the caller (the demo, a test), and a test can kill it like a production broker dies.
 */
public final class LocalKafka implements AutoCloseable {
    private final Path directory;
    private final Path properties;
    private final int nodeId;
    private final int port;
    private Process process;

    private LocalKafka(Path directory, int nodeId, int port, int controllerPort, String voters, int replication,
                       String clusterId) throws IOException {
        this.directory = directory;
        this.nodeId = nodeId;
        this.port = port;
        this.properties = directory.resolve("server.properties");
        String minInSync = Integer.toString(Math.min(2, replication));
        Files.writeString(properties, String.join("\n",
                "process.roles=broker,controller",
                "node.id=" + nodeId,
                "controller.quorum.voters=" + voters,
                "listeners=PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort,
                "advertised.listeners=PLAINTEXT://127.0.0.1:" + port,
                "controller.listener.names=CONTROLLER",
                "listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT",
                "log.dirs=" + directory.resolve("data"),
                "num.partitions=3",
                "default.replication.factor=" + replication,
                "min.insync.replicas=" + minInSync,
                "offsets.topic.replication.factor=" + replication,
                "offsets.topic.num.partitions=3",
                "transaction.state.log.replication.factor=" + replication,
                "transaction.state.log.min.isr=" + minInSync,
                "transaction.state.log.num.partitions=3",
                "group.initial.rebalance.delay.ms=0",
                "auto.create.topics.enable=false",   // as in production: the gateway creates the topics
                "message.max.bytes=2097152",
                ""));
        if (Files.exists(directory.resolve("data").resolve("meta.properties"))) return;   // formatted before: keep its data
        run(List.of("kafka.tools.StorageTool", "format", "-t", clusterId, "-c", properties.toString()),
                directory.resolve("format.log"));
    }

    /** One node (broker and controller) of a {@link LocalKafkaCluster}; not started. */
    static LocalKafka node(Path directory, int nodeId, int port, int controllerPort, String voters, int replication,
                           String clusterId) throws IOException {
        Files.createDirectories(directory);
        return new LocalKafka(directory, nodeId, port, controllerPort, voters, replication, clusterId);
    }

    /**
     * Formats a data folder under {@code directory} (unless an earlier run did) and starts the broker on new free
     * ports; returns once it answers.
     */
    public static LocalKafka start(Path directory) throws IOException {
        Files.createDirectories(directory);
        int port = FreePorts.next(), controllerPort = FreePorts.next();
        LocalKafka broker = new LocalKafka(directory, 1, port, controllerPort, "1@127.0.0.1:" + controllerPort, 1,
                Uuid.randomUuid().toString());
        broker.startProcess();
        return broker;
    }

    public String bootstrapServers() {
        return "127.0.0.1:" + port;
    }

    /** Data, {@code server.properties} and {@code broker.log}. */
    public Path directory() {
        return directory;
    }

    public boolean isAlive() {
        return process != null && process.isAlive();
    }

    /** The KRaft node id (1 for a single broker). */
    public int nodeId() {
        return nodeId;
    }

    /** The broker's process. */
    public ProcessHandle processHandle() {
        return process.toHandle();
    }

    /** Starts the broker again on the same data after {@link #kill()} or {@link #stop()}; returns once it answers. */
    public void startProcess() throws IOException {
        launch();
        awaitStarted();
    }

    /** Starts the process without waiting (the nodes of a cluster start together: none answers before a quorum). */
    void launch() throws IOException {
        if (isAlive()) throw new IllegalStateException("Kafka node " + nodeId + " is running");
        ProcessBuilder pb = new ProcessBuilder(command(List.of("kafka.Kafka", properties.toString())));
        pb.redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(directory.resolve("broker.log").toFile()));
        process = pb.start();
    }

    /** Returns once the launched broker answers; a broker that never answers is killed, so it cannot outlive the caller. */
    void awaitStarted() throws IOException {
        try {
            awaitReady(Duration.ofSeconds(90));
        } catch (IOException | RuntimeException e) {
            process.destroyForcibly();
            throw e;
        }
    }

    /** Ends the broker the hard way (SIGKILL), as a crash would. */
    public void kill() throws InterruptedException {
        if (process != null) {
            process.destroyForcibly();
            process.waitFor(30, TimeUnit.SECONDS);
        }
    }

    /** Ends the broker with SIGTERM (controlled shutdown). */
    public void stop() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroy();
            if (!process.waitFor(30, TimeUnit.SECONDS)) kill();
        }
    }

    @Override
    public void close() throws InterruptedException {
        stop();
    }

    private void awaitReady(Duration timeout) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        Map<String, Object> config = Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers(),
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 2000, AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 3000);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive())
                throw new IOException("Kafka broker exited with " + process.exitValue() + "; see " + directory.resolve("broker.log"));
            if (!accepts(port)) {   // the admin client would log a warning for each refused connection
                sleep(250);
                continue;
            }
            try (Admin admin = Admin.create(config)) {
                admin.describeCluster().nodes().get(3, TimeUnit.SECONDS);
                return;
            } catch (Exception notYet) {
                sleep(250);
            }
        }
        throw new IOException("Kafka broker did not answer within " + timeout + "; see " + directory.resolve("broker.log"));
    }

    private static boolean accepts(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1000);
            return true;
        } catch (IOException refused) {
            return false;
        }
    }

    private static void run(List<String> mainAndArgs, Path log) throws IOException {
        try {
            Process p = new ProcessBuilder(command(mainAndArgs)).redirectErrorStream(true)
                    .redirectOutput(log.toFile()).start();
            if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0)
                throw new IOException("'" + mainAndArgs.get(0) + "' failed; see " + log);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }

    private static List<String> command(List<String> mainAndArgs) {
        List<String> cmd = new ArrayList<>(List.of(ChildJava.executable(), "-Xmx512m", "-XX:+UseSerialGC", "-cp", ChildJava.classPath()));
        cmd.addAll(mainAndArgs);
        return cmd;
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
