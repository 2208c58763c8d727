package org.seggateway.cli;

import java.util.List;
import org.seggateway.local.LocalKafka;

/** A Kafka broker (and KRaft controller) of a {@link LocalCluster}. */
final class BrokerNode implements ClusterNode {
    private final LocalKafka broker;

    BrokerNode(LocalKafka broker) {
        this.broker = broker;
    }

    @Override
    public String name() {
        return "broker-" + broker.nodeId();
    }

    @Override
    public boolean isAlive() {
        return broker.isAlive();
    }

    @Override
    public void kill() throws InterruptedException {
        broker.kill();
    }

    @Override
    public void stop() throws InterruptedException {
        broker.stop();
    }

    @Override
    public void start() throws Exception {
        broker.startProcess();
    }

    @Override
    public List<ProcessHandle> processes() {
        return broker.isAlive() ? List.of(broker.processHandle()) : List.of();
    }

    @Override
    public String describe() {
        return "Kafka " + broker.bootstrapServers() + " (broker and controller), log " + broker.directory().resolve("broker.log");
    }
}
