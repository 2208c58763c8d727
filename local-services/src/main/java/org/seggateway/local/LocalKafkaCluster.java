package org.seggateway.local;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.kafka.common.Uuid;

/**
 * Several {@link LocalKafka} nodes forming one KRaft cluster on loopback: every node is broker and controller (a
 * quorum of all of them), internal topics are replicated to {@code min(3, nodes)} and {@code min.insync.replicas} is 2
 * when there are two or more, so one node can die without losing an acknowledged record. Each node is its own child
 * JVM that a caller can kill and start again on its data.
 */
public final class LocalKafkaCluster implements AutoCloseable {
    private final List<LocalKafka> nodes;

    private LocalKafkaCluster(List<LocalKafka> nodes) {
        this.nodes = nodes;
    }

    /** Formats {@code count} nodes in {@code directory/node-N} and starts them together; returns once all answer. */
    public static LocalKafkaCluster start(Path directory, int count) throws IOException {
        if (count < 1) throw new IllegalArgumentException("a Kafka cluster needs at least one node, not " + count);
        int[] ports = new int[count], controllerPorts = new int[count];
        List<String> voters = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            ports[i] = FreePorts.next();
            controllerPorts[i] = FreePorts.next();
            voters.add((i + 1) + "@127.0.0.1:" + controllerPorts[i]);
        }
        String clusterId = Uuid.randomUuid().toString();
        List<LocalKafka> nodes = new ArrayList<>();
        LocalKafkaCluster cluster = new LocalKafkaCluster(nodes);
        try {
            for (int i = 0; i < count; i++)
                nodes.add(LocalKafka.node(directory.resolve("node-" + (i + 1)), i + 1, ports[i], controllerPorts[i],
                        String.join(",", voters), Math.min(3, count), clusterId));
            for (LocalKafka node : nodes) node.launch();
            for (LocalKafka node : nodes) node.awaitStarted();
        } catch (IOException | RuntimeException e) {
            cluster.kill();
            throw e;
        }
        return cluster;
    }

    /** Every node's listener, comma-separated, as clients take it. */
    public String bootstrapServers() {
        return nodes.stream().map(LocalKafka::bootstrapServers).collect(Collectors.joining(","));
    }

    public List<LocalKafka> nodes() {
        return List.copyOf(nodes);
    }

    /** Node {@code id} (1-based, its KRaft node id). */
    public LocalKafka node(int id) {
        return nodes.get(id - 1);
    }

    private void kill() {
        for (LocalKafka node : nodes) {
            try {
                node.kill();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Stops the nodes together: one by one, the last ones would wait for a quorum that has gone. */
    @Override
    public void close() throws InterruptedException {
        List<Thread> stopping = new ArrayList<>();
        for (LocalKafka node : nodes) stopping.add(Thread.ofVirtual().start(() -> {
            try {
                node.stop();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }));
        for (Thread t : stopping) t.join();
    }
}
