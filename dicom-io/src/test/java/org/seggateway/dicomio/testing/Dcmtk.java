package org.seggateway.dicomio.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs DCMTK command-line tools (Debian package dcmtk) for tests. Every run gets {@code TCP_NODELAY=1}: Debian's
 * DCMTK otherwise leaves Nagle on and each C-STORE response waits about 40 ms.
 */
public final class Dcmtk {

    public static final Map<String, String> NODELAY = Map.of("TCP_NODELAY", "1");

    private Dcmtk() {}

    /** Exit code and combined stdout/stderr of a finished tool. */
    public record Result(int exitCode, String output, Duration elapsed) {}

    /** Runs a tool to completion (killed after {@code timeout}). */
    public static Result run(Duration timeout, List<String> command) throws IOException, InterruptedException {
        Path out = Files.createTempFile("dcmtk-", ".log");
        try {
            ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile());
            pb.environment().putAll(NODELAY);
            long t0 = System.nanoTime();
            Process p;
            try {
                p = pb.start();
            } catch (IOException e) {
                throw new IOException("cannot run " + command.getFirst() + " (dcmtk; scripts/setup.sh installs it)", e);
            }
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly().waitFor();
                throw new IOException(command.getFirst() + " did not finish in " + timeout + ":\n" + Files.readString(out));
            }
            // lenient: a tool may print bytes of a malformed file that are not UTF-8
            return new Result(p.exitValue(), new String(Files.readAllBytes(out), StandardCharsets.UTF_8),
                    Duration.ofNanos(System.nanoTime() - t0));
        } finally {
            Files.deleteIfExists(out);
        }
    }

    /** {@code storescu} sending {@code files} over one association to {@code aet@127.0.0.1:port}. */
    public static Result storescu(String callingAe, String calledAe, int port, List<Path> files, String... options)
            throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("storescu", "-aet", callingAe, "-aec", calledAe));
        cmd.addAll(List.of(options));
        cmd.addAll(List.of("127.0.0.1", Integer.toString(port)));
        files.forEach(f -> cmd.add(f.toString()));
        return run(Duration.ofMinutes(3), cmd);
    }

    public static Result echoscu(String callingAe, String calledAe, int port) throws IOException, InterruptedException {
        return run(Duration.ofSeconds(30), List.of("echoscu", "-aet", callingAe, "-aec", calledAe, "127.0.0.1",
                Integer.toString(port)));
    }

    /**
     * Starts {@code storescp} on a free loopback port writing into {@code outputDirectory}, with {@code TCP_NODELAY=1};
     * wait for it with {@link StoreScp#port()} already listening.
     */
    public static StoreScp storescp(String aeTitle, Path outputDirectory, Path log, String... options)
            throws IOException, InterruptedException {
        Files.createDirectories(outputDirectory);
        int port = PeerProcess.freePort();
        List<String> cmd = new ArrayList<>(List.of("storescp", "-aet", aeTitle, "-od", outputDirectory.toString()));
        cmd.addAll(List.of(options));
        cmd.add(Integer.toString(port));
        PeerProcess process = PeerProcess.start("storescp", cmd, NODELAY, log);
        try {
            process.awaitPort(port, Duration.ofSeconds(20));
        } catch (IOException | InterruptedException e) {
            process.close();
            throw e;
        }
        return new StoreScp(aeTitle, port, outputDirectory, process);
    }

    /** A running {@code storescp}; closing kills it. */
    public record StoreScp(String aeTitle, int port, Path outputDirectory, PeerProcess process) implements AutoCloseable {
        @Override
        public void close() {
            process.close();
        }
    }
}
