package org.seggateway.dicomio.testing;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * An external peer program (DCMTK, Orthanc) started by a test: output to a log file, {@link #close()} kills it and its
 * children. Use in try-with-resources or close it in {@code @AfterAll}.
 */
public final class PeerProcess implements AutoCloseable {

    private final String name;
    private final Process process;
    private final Path log;

    private PeerProcess(String name, Process process, Path log) {
        this.name = name;
        this.process = process;
        this.log = log;
    }

    /** Starts {@code command} with {@code extraEnvironment} added, stdout and stderr to {@code log}. */
    public static PeerProcess start(String name, List<String> command, Map<String, String> extraEnvironment, Path log)
            throws IOException {
        Files.createDirectories(log.getParent());
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().putAll(extraEnvironment);
        try {
            return new PeerProcess(name, pb.start(), log);
        } catch (IOException e) {
            throw new IOException("cannot start " + name + " (" + command.getFirst()
                    + "; scripts/setup.sh installs it): " + e.getMessage(), e);
        }
    }

    /** Waits until the process accepts TCP connections on loopback {@code port}; fails if it exits first. */
    public void awaitPort(int port, Duration timeout) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive())
                throw new IOException(name + " exited with " + process.exitValue() + " before listening on " + port
                        + "; log " + log + ":\n" + logText());
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return;
            } catch (IOException notYet) {
                Thread.sleep(50);
            }
        }
        throw new IOException(name + " not listening on " + port + " after " + timeout + "; log:\n" + logText());
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    public Path log() {
        return log;
    }

    public String logText() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return "(log unreadable: " + e + ")";
        }
    }

    @Override
    public void close() {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroy();
        try {
            if (!process.waitFor(5, java.util.concurrent.TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(5, java.util.concurrent.TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    /** A currently free loopback TCP port (free when asked; a peer started right after gets it in practice). */
    public static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            s.setReuseAddress(true);
            return s.getLocalPort();
        }
    }
}
