package org.seggateway.cli;

import java.util.List;

/**
 * One node of a {@link LocalCluster} (a Kafka broker, a gateway, a worker, the database), named as the topology prints it
 * ({@code broker-1}, {@code gateway-2}, {@code worker-3}, {@code postgres}).
 */
public interface ClusterNode {
    String name();

    boolean isAlive();

    /** SIGKILL: the node dies as in a crash, holding whatever it holds. */
    void kill() throws Exception;

    /** SIGTERM: the node shuts down in order. */
    void stop() throws Exception;

    /** Starts the node again on its data, configuration and ports; returns once it serves. */
    void start() throws Exception;

    /** The running process and its children, for CPU accounting; empty while the node is down. */
    List<ProcessHandle> processes();

    /** One line for the topology: what it listens on, where it logs. */
    String describe();
}
