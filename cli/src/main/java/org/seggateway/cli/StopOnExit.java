package org.seggateway.cli;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.function.Consumer;

/**
 * What one command started (child processes, servers, folders to delete), closed in reverse order on {@link #close()},
 * or by a shutdown hook when the JVM ends early (Ctrl-C, SIGTERM). A SIGKILL of this JVM cannot be caught: its
 * children then outlive it.
 */
final class StopOnExit implements AutoCloseable {
    private record Entry(String name, AutoCloseable resource) {
    }

    private final Deque<Entry> entries = new ArrayDeque<>();
    private final Consumer<String> problems;
    private final Thread hook = Thread.ofPlatform().name("stop-on-exit").unstarted(this::closeAll);

    /** @param problems told about anything that failed to close */
    StopOnExit(Consumer<String> problems) {
        this.problems = problems;
        Runtime.getRuntime().addShutdownHook(hook);
    }

    <T extends AutoCloseable> T add(String name, T resource) {
        synchronized (entries) {
            entries.push(new Entry(name, resource));
        }
        return resource;
    }

    @Override
    public void close() {
        closeAll();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // the hook runs or ran already
        }
    }

    private void closeAll() {
        while (true) {
            Entry e;
            synchronized (entries) {
                e = entries.poll();
            }
            if (e == null) return;
            try {
                e.resource().close();
            } catch (Exception ex) {
                problems.accept("stopping " + e.name() + ": " + SegGateway.oneLine(ex));
            }
        }
    }
}
