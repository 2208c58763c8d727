package org.seggateway.cli;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** A gateway or worker of a {@link LocalCluster}: a child JVM with its command, folder and log, started again on demand. */
final class ProcessNode implements ClusterNode {
    /** Waits until the started program serves; throws when it does not in time. */
    @FunctionalInterface
    interface Readiness {
        void await(ChildProcess started) throws Exception;
    }

    private final String name;
    private final List<String> command;
    private final Path directory;
    private final Path log;
    private final Readiness readiness;
    private final String description;
    private volatile ChildProcess process;

    ProcessNode(String name, List<String> command, Path directory, Readiness readiness, String description) {
        this.name = name;
        this.command = List.copyOf(command);
        this.directory = directory;
        this.log = directory.resolve(name + ".log");
        this.readiness = readiness;
        this.description = description;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public boolean isAlive() {
        ChildProcess p = process;
        return p != null && p.process().isAlive();
    }

    @Override
    public void kill() throws InterruptedException {
        ChildProcess p = process;
        if (p != null) p.kill();
    }

    @Override
    public void stop() throws InterruptedException {
        ChildProcess p = process;
        if (p != null) p.close();
    }

    @Override
    public void start() throws Exception {
        if (isAlive()) throw new IllegalStateException(name + " is running");
        ChildProcess started = ChildProcess.start(name, command, directory, Map.of(), log, Duration.ofSeconds(30));
        process = started;
        try {
            readiness.await(started);
        } catch (Exception e) {
            kill();
            throw e;
        }
    }

    @Override
    public List<ProcessHandle> processes() {
        ChildProcess p = process;
        return p != null && p.process().isAlive() ? List.of(p.process().toHandle()) : List.of();
    }

    @Override
    public String describe() {
        return description + ", log " + log;
    }
}
