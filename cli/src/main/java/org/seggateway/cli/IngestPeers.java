package org.seggateway.cli;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * The DICOM programs the end-to-end bench measures the gateway's listener against (DCMTK {@code storescp}, Orthanc),
 * and DCMTK {@code storescu} as the sender. All run with {@code TCP_NODELAY=1}: Debian's DCMTK, which Orthanc links,
 * otherwise leaves Nagle's algorithm on and waits about 40 ms per C-STORE response.
 */
final class IngestPeers {
    static final Map<String, String> NODELAY = Map.of("TCP_NODELAY", "1");

    private IngestPeers() {
    }

    /** One storescu run: what was sent, how long it took, how it ended. */
    record Sent(int files, long bytes, double seconds, int exitCode, Path log) {
        double megabytesPerSecond() {
            return bytes / 1e6 / seconds;
        }
    }

    /** A receiver started for the bench; closing stops it. */
    record Receiver(String name, String aeTitle, int port, Process process, Path log) implements AutoCloseable {
        @Override
        public void close() throws InterruptedException {
            process.destroy();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    /** {@code storescu} sending {@code files} in one association to {@code calledAe@127.0.0.1:port}; the wall time of the run. */
    static Sent storescu(String callingAe, String calledAe, int port, List<Path> files, Path log) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("storescu", "--no-halt", "-aet", callingAe, "-aec", calledAe, "127.0.0.1",
                Integer.toString(port)));
        long bytes = 0;
        for (Path f : files) {
            command.add(f.toString());
            bytes += Files.size(f);
        }
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().putAll(NODELAY);
        long start = System.nanoTime();
        Process p = start(pb, "storescu");
        if (!p.waitFor(30, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new IOException("storescu to " + calledAe + " did not finish in 30 minutes; see " + log);
        }
        return new Sent(files.size(), bytes, (System.nanoTime() - start) / 1e9, p.exitValue(), log);
    }

    /**
     * {@code storescu} from {@code associations} processes at once, the files dealt round-robin among them; the wall time from
     * the first start to the last end, and the worst exit code.
     */
    static Sent storescuConcurrently(String callingAe, String calledAe, int port, List<Path> files, int associations, Path logFolder)
            throws IOException, InterruptedException {
        if (associations == 1) return storescu(callingAe, calledAe, port, files, logFolder.resolve("storescu.log"));
        List<List<Path>> shares = new ArrayList<>();
        for (int i = 0; i < associations; i++) shares.add(new ArrayList<>());
        for (int i = 0; i < files.size(); i++) shares.get(i % associations).add(files.get(i));
        List<Future<Sent>> sent = new ArrayList<>();
        long start = System.nanoTime();
        try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < associations; i++) {
                List<Path> share = shares.get(i);
                Path log = logFolder.resolve("storescu-" + (i + 1) + ".log");
                sent.add(pool.submit(() -> storescu(callingAe, calledAe, port, share, log)));
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        int files1 = 0, exit = 0;
        long bytes = 0;
        Path worstLog = logFolder.resolve("storescu-1.log");
        for (var f : sent) {
            Sent s;
            try {
                s = f.get();
            } catch (ExecutionException e) {
                throw new IOException("storescu to " + calledAe + " failed: " + e.getCause(), e.getCause());
            }
            files1 += s.files();
            bytes += s.bytes();
            if (s.exitCode() != 0) {
                exit = s.exitCode();
                worstLog = s.log();
            }
        }
        return new Sent(files1, bytes, seconds, exit, worstLog);
    }

    /** DCMTK {@code storescp} writing what it receives into {@code folder} (no fsync: it does not sync its files), one process per association. */
    static Receiver storescp(Path folder) throws IOException, InterruptedException {
        Path received = Files.createDirectories(folder.resolve("received"));
        int port = freePort();
        ProcessBuilder pb = new ProcessBuilder("storescp", "--fork", "-aet", "STORESCP", "-od", received.toString(), Integer.toString(port));
        return awaitListening(new Receiver("DCMTK storescp", "STORESCP", port, start(pb, folder, NODELAY), folder.resolve("storescp.log")));
    }

    /**
     * Debian's Orthanc with a temporary configuration: loopback only, its own storage and index in {@code folder}, no plugins,
     * each stored file fsynced ({@code SyncStorageArea}, its default since 1.7.4, set explicitly).
     */
    static Receiver orthanc(Path folder) throws IOException, InterruptedException {
        Path storage = Files.createDirectories(folder.resolve("storage"));
        int dicomPort = freePort(), httpPort = freePort();
        Path config = folder.resolve("orthanc.json");
        Files.writeString(config, """
                {
                  "Name" : "seg-gateway-bench",
                  "StorageDirectory" : "%s",
                  "IndexDirectory" : "%s",
                  "StorageCompression" : false,
                  "SyncStorageArea" : true,
                  "Plugins" : [ ],
                  "HttpServerEnabled" : true,
                  "HttpPort" : %d,
                  "RemoteAccessAllowed" : false,
                  "DicomServerEnabled" : true,
                  "DicomAet" : "ORTHANC",
                  "DicomPort" : %d,
                  "DicomAlwaysAllowStore" : true,
                  "SaveJobs" : false
                }
                """.formatted(storage, storage, httpPort, dicomPort));
        String program = Files.isExecutable(Path.of("/usr/sbin/Orthanc")) ? "/usr/sbin/Orthanc" : "Orthanc";   // Debian's place
        ProcessBuilder pb = new ProcessBuilder(program, config.toString());
        return awaitListening(new Receiver("Orthanc", "ORTHANC", dicomPort, start(pb, folder, NODELAY), folder.resolve("orthanc.log")));
    }

    private static Process start(ProcessBuilder pb, Path folder, Map<String, String> environment) throws IOException {
        Files.createDirectories(folder);
        String name = Path.of(pb.command().getFirst()).getFileName().toString().toLowerCase(java.util.Locale.ROOT);
        pb.redirectErrorStream(true).redirectOutput(folder.resolve(name + ".log").toFile()).environment().putAll(environment);
        return start(pb, name);
    }

    private static Process start(ProcessBuilder pb, String program) throws IOException {
        try {
            return pb.start();
        } catch (IOException e) {
            throw new IOException("cannot run " + program + " (" + e.getMessage() + "); scripts/setup.sh installs it", e);
        }
    }

    private static Receiver awaitListening(Receiver r) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            if (!r.process().isAlive()) throw new IOException(r.name() + " exited with " + r.process().exitValue() + "; see " + r.log());
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), r.port()), 200);
                return r;
            } catch (IOException notYet) {
                Thread.sleep(50);
            }
        }
        r.close();
        throw new IOException(r.name() + " not listening on " + r.port() + " after 60 s; see " + r.log());
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
