package org.seggateway.cli;

import java.util.ArrayList;
import java.util.List;
import org.seggateway.local.LocalPostgres;

/**
 * The PostgreSQL server of a {@link LocalCluster}. It is paused and resumed rather than restarted: a restart takes a new
 * port, which the gateways' configuration does not know.
 */
public final class DatabaseNode implements ClusterNode {
    private final LocalPostgres server;
    private volatile boolean paused;

    DatabaseNode(LocalPostgres server) {
        this.server = server;
    }

    @Override
    public String name() {
        return "postgres";
    }

    @Override
    public boolean isAlive() {
        return server.isAlive() && !paused;
    }

    /** SIGSTOP to the server and its backends: connections stay open, nothing answers. */
    public void pause() throws Exception {
        server.pause();
        paused = true;
    }

    public void resume() throws Exception {
        server.resume();
        paused = false;
    }

    @Override
    public void kill() {
        throw new UnsupportedOperationException("postgres is paused and resumed here (pause postgres, resume postgres), not killed");
    }

    @Override
    public void stop() {
        kill();
    }

    @Override
    public void start() throws Exception {
        if (paused) resume();
    }

    @Override
    public List<ProcessHandle> processes() {
        if (!server.isAlive()) return List.of();
        List<ProcessHandle> all = new ArrayList<>(List.of(server.processHandle()));
        server.processHandle().descendants().forEach(all::add);
        return all;
    }

    @Override
    public String describe() {
        return "PostgreSQL 127.0.0.1:" + server.port() + (paused ? " (paused)" : "") + ", log " + server.directory().resolve("postgres.log");
    }
}
