package org.seggateway.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Consumer;
import org.seggateway.dicomio.net.RemoteAe;
import org.seggateway.local.FreePorts;
import org.seggateway.local.LocalKafka;
import org.seggateway.local.LocalKafkaCluster;
import org.seggateway.local.LocalPostgres;
import org.seggateway.local.PostgresBinaries;
import org.seggateway.local.PostgresDatabase;

/**
 * The scale-out topology on one machine: a KRaft cluster of several Kafka brokers (replication 3,
 * {@code min.insync.replicas} 2), a PostgreSQL server of its own (so that it can be paused), several gateways on that one
 * database and one shared spool, several CPU workers in one consumer group, and a PACS: a given one, or a C-STORE
 * receiver standing in for it. All on loopback; every node can be killed, stopped and started again by name.
 * Modalities send to any gateway: they share one AE title, as behind a load balancer.
 */
public final class LocalCluster implements AutoCloseable {
    public static final String GATEWAY_AE = LocalPipeline.GATEWAY_AE;
    private static final String STAND_IN_PACS_AE = "CLUSTERPACS";

    /**
     * @param work              folder for every node's data and log
     * @param quietTime         the route's quiet time
     * @param pacs              where SEGs go; empty: a stand-in receiver in {@code work/pacs}
     * @param gatewayProperties more configuration for every gateway
     * @param postgresBin       PostgreSQL server programs; empty: Debian's, else the ones bundled from Maven Central
     */
    public record Settings(Path work, int brokers, int gateways, int workers, Path modelPackage, Duration quietTime,
                           Optional<RemoteAe> pacs, Map<String, String> gatewayProperties, Optional<Path> postgresBin) {
        public Settings {
            if (brokers < 1 || gateways < 1 || workers < 0)
                throw new IllegalArgumentException("a cluster needs at least one broker and one gateway; workers may be 0");
        }
    }

    private final Settings settings;
    private final Consumer<String> say;
    private final List<AutoCloseable> toClose = new ArrayList<>();
    private final Map<String, ClusterNode> nodes = new LinkedHashMap<>();
    private final List<RemoteAe> gatewayAes = new ArrayList<>();
    /** Written into every gateway's configuration (the configuration wants an API user); nothing here calls the API. */
    private final ApiUser apiUser = ApiUser.random("cluster");
    private LocalKafkaCluster kafka;
    private LocalPostgres postgres;
    private PostgresDatabase database;
    private RemoteAe pacs;
    private SegArrivals standInPacs;

    private LocalCluster(Settings settings, Consumer<String> say) {
        this.settings = settings;
        this.say = say;
    }

    /** Starts every node; returns once each serves. Whatever started is stopped again when a start fails. */
    public static LocalCluster start(Settings settings, Consumer<String> say) throws Exception {
        LocalCluster cluster = new LocalCluster(settings, say);
        try {
            cluster.startAll();
        } catch (Exception e) {
            cluster.close();
            throw e;
        }
        return cluster;
    }

    private void startAll() throws Exception {
        Path work = Files.createDirectories(settings.work().toAbsolutePath());
        CompletableFuture<LocalKafkaCluster> kafkaStarting = CompletableFuture.supplyAsync(() -> {
            try {
                return LocalKafkaCluster.start(work.resolve("kafka"), settings.brokers());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        PostgresBinaries binaries = settings.postgresBin().map(PostgresBinaries::at)
                .or(PostgresBinaries::debian)
                .orElseGet(LocalCluster::bundledPostgres);
        postgres = LocalPostgres.start(work.resolve("postgres"), binaries);
        toClose.add(postgres);
        postgres.database("postgres").createDatabase("seggateway");
        database = postgres.database("seggateway");
        nodes.put("postgres", new DatabaseNode(postgres));
        try {
            kafka = kafkaStarting.join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof UncheckedIOException u ? u.getCause() : e;
        }
        toClose.add(kafka);
        for (LocalKafka node : kafka.nodes()) nodes.put("broker-" + node.nodeId(), new BrokerNode(node));
        say.accept("Kafka: " + settings.brokers() + " KRaft brokers " + kafka.bootstrapServers());
        say.accept("PostgreSQL: " + database.jdbcUrl() + " (" + binaries.origin() + ")");

        if (settings.pacs().isPresent()) pacs = settings.pacs().get();
        else {
            standInPacs = SegArrivals.start(work.resolve("pacs"), STAND_IN_PACS_AE);
            toClose.add(standInPacs);
            pacs = standInPacs.ae();
        }

        List<ProcessNode> gateways = new ArrayList<>();
        for (int i = 1; i <= settings.gateways(); i++) gateways.add(gateway(work, i));
        // the first migrates the database and creates the topics; the others then start together
        gateways.getFirst().start();
        startTogether(gateways.subList(1, gateways.size()));
        say.accept("gateways: " + settings.gateways() + " ready");
        List<ProcessNode> workers = new ArrayList<>();
        for (int i = 1; i <= settings.workers(); i++) workers.add(worker(work, i));
        startTogether(workers);
        say.accept("workers: " + settings.workers() + " running");
    }

    private ProcessNode gateway(Path work, int index) throws IOException {
        String name = "gateway-" + index;
        Path dir = Files.createDirectories(work.resolve(name));
        int httpPort = FreePorts.next(), scpPort = FreePorts.next();
        Map<String, String> more = new LinkedHashMap<>();
        more.put("seg-gateway.queue.transactional-id", "seg-gateway-" + index);
        more.put("seg-gateway.queue.replication-factor", Integer.toString(Math.min(3, settings.brokers())));
        more.put("seg-gateway.queue.partitions", "6");
        // a dead gateway's result partitions move to the others after 10 s instead of 45
        more.put("seg-gateway.queue.client.\"session.timeout.ms\"", "10000");
        more.put("seg-gateway.queue.client.\"heartbeat.interval.ms\"", "2000");
        more.putAll(settings.gatewayProperties());
        new LocalPipeline.GatewayConfiguration("cluster", "cluster", database, kafka.bootstrapServers(), httpPort, scpPort,
                work.resolve("spool"), settings.quietTime(), settings.modelPackage().toAbsolutePath(), pacs, apiUser)
                .write(dir, more);
        RemoteAe ae = new RemoteAe("127.0.0.1", scpPort, GATEWAY_AE);
        gatewayAes.add(ae);
        ProcessNode node = new ProcessNode(name, GatewayApplication.command(List.of("-Xmx768m", "-XX:+UseSerialGC"), Map.of()), dir,
                started -> GatewayApplication.awaitReady(started, httpPort, Duration.ofMinutes(3)),
                "DICOM " + GATEWAY_AE + "@127.0.0.1:" + scpPort + ", HTTP 127.0.0.1:" + httpPort);
        register(node);
        return node;
    }

    private ProcessNode worker(Path work, int index) throws IOException {
        String name = "worker-" + index;
        Path dir = Files.createDirectories(work.resolve(name));
        List<String> command = LocalPipeline.workerCommand("1g", kafka.bootstrapServers(), settings.modelPackage().toAbsolutePath(),
                name, "cpu", List.of("--threads", "1", "--kafka", "session.timeout.ms=10000", "--kafka", "heartbeat.interval.ms=2000"));
        ProcessNode node = new ProcessNode(name, command, dir, started -> awaitLine(started, "worker " + name + ": models",
                Duration.ofMinutes(2)), "CPU, model " + settings.modelPackage().getFileName() + ", 1 thread");
        register(node);
        return node;
    }

    private void register(ProcessNode node) {
        nodes.put(node.name(), node);
        toClose.add(node::stop);
    }

    private static void startTogether(List<ProcessNode> nodes) throws Exception {
        List<CompletableFuture<Void>> starting = new ArrayList<>();
        for (ProcessNode n : nodes) starting.add(CompletableFuture.runAsync(() -> {
            try {
                n.start();
            } catch (Exception e) {
                throw new IllegalStateException(n.name() + ": " + e.getMessage(), e);
            }
        }));
        for (CompletableFuture<Void> f : starting) f.join();
    }

    private static void awaitLine(ChildProcess started, String prefix, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            started.checkAlive();
            if (Files.exists(started.log()) && Files.readString(started.log()).contains(prefix)) return;
            Thread.sleep(200);
        }
        throw new IOException(started.name() + " did not start within " + timeout.toSeconds() + " s; see " + started.log());
    }

    private static PostgresBinaries bundledPostgres() {
        try {
            return PostgresBinaries.bundled(PostgresBinaries.defaultCacheRoot());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The nodes in start order: postgres, brokers, gateways, workers. */
    public List<ClusterNode> nodes() {
        return List.copyOf(nodes.values());
    }

    /** The node of that name; throws naming the ones there are. */
    public ClusterNode node(String name) {
        ClusterNode n = nodes.get(name);
        if (n == null) throw new IllegalArgumentException("no node " + name + "; nodes: " + String.join(", ", nodes.keySet()));
        return n;
    }

    public DatabaseNode postgres() {
        return (DatabaseNode) nodes.get("postgres");
    }

    /** The gateways' DICOM listeners, in node order. */
    public List<RemoteAe> gatewayAes() {
        return List.copyOf(gatewayAes);
    }

    public PostgresDatabase database() {
        return database;
    }

    public String bootstrapServers() {
        return kafka.bootstrapServers();
    }

    /** The stand-in PACS, when no PACS was given. */
    Optional<SegArrivals> standInPacs() {
        return Optional.ofNullable(standInPacs);
    }

    /** Every node with its state, one line each. */
    public String topology() {
        StringBuilder b = new StringBuilder();
        for (ClusterNode n : nodes.values())
            b.append(String.format("  %-10s %-8s %s%n", n.name(), n.isAlive() ? "running" : "down", n.describe()));
        b.append(String.format("  %-10s %-8s %s%n", "pacs", "", pacs.aeTitle() + "@" + pacs.host() + ":" + pacs.port()
                + (standInPacs != null ? " (stand-in receiver)" : "")));
        return b.toString();
    }

    /** Stops everything (workers and gateways first), also what runs after a failed start. */
    @Override
    public void close() throws Exception {
        Exception first = null;
        for (AutoCloseable c : toClose.reversed()) {
            try {
                c.close();
            } catch (Exception e) {
                if (first == null) first = e;
                else first.addSuppressed(e);
            }
        }
        if (first != null) throw first;
    }
}
