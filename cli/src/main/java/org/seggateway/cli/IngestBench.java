package org.seggateway.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import org.seggateway.dicomio.synthetic.SyntheticSeries;
import org.seggateway.local.FreePorts;
import org.seggateway.local.PostgresBinaries;
import org.seggateway.local.PostgresDatabase;
import org.seggateway.local.PrivateDatabase;

/**
 * {@code bench ingest}: DCMTK storescu (TCP_NODELAY=1) sending the same files to the gateway's listener (packaged gateway,
 * fresh PostgreSQL database, queue off: spool with fsync and a committed row per instance), to Orthanc (fsync of every
 * stored file, SQLite index) and to DCMTK storescp (no fsync), over one association and over several concurrent ones
 * (the files dealt among them), in interleaved rounds. Each round sends two series of its own (one per association
 * count), each once to every receiver, so no receiver ever sees a duplicate; the receivers take turns going first.
 */
final class IngestBench {
    private static final String GATEWAY_AE = LocalPipeline.GATEWAY_AE, MODALITY_AE = "BENCHCT";

    record Settings(Path dir, int[] size, int rounds, int associations, boolean flightRecording, PostgresDatabase postgres) {}

    /** One send: receiver, round, associations, seconds, MB/s. */
    private record Result(String receiver, int round, int associations, double seconds, double megabytesPerSecond) {}

    private final PrintStream out;
    private final long start = System.nanoTime();

    IngestBench(PrintStream out) {
        this.out = out;
    }

    void run(Settings settings) throws Exception {
        int[] size = settings.size();
        Path dir = settings.dir().toAbsolutePath();
        String name = size[0] + "x" + size[1] + "x" + size[2];
        int[] counts = settings.associations() == 1 ? new int[] {1} : new int[] {1, settings.associations()};
        Map<String, SyntheticSeries.Written> series = new LinkedHashMap<>();
        for (int round = 1; round <= settings.rounds(); round++)
            for (int n : counts) series.put(round + "/" + n, E2eBench.cachedSeries(dir.resolve("ct-" + name + "-r" + round + "-a" + n), size));
        // a warm-up series of the same slice size, so that round 1 does not measure the gateway before its JIT compiled the path
        SyntheticSeries.Written warmUp = E2eBench.cachedSeries(dir.resolve("warm-up-" + size[0] + "x" + size[1] + "x100"), new int[] {size[0], size[1], 100});
        SyntheticSeries.Written first = series.values().iterator().next();
        Path work = Files.createDirectories(dir.resolve("run-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"))));
        Files.setPosixFilePermissions(work, PosixFilePermissions.fromString("rwxr-xr-x"));
        say("work folder " + work + "; series " + first.files().size() + " files, "
                + String.format(Locale.ROOT, "%.1f", first.bytes() / 1e6) + " MB");

        List<Result> results = new ArrayList<>();
        try (StopOnExit stop = new StopOnExit(this::say)) {
            PrivateDatabase database = stop.add("PostgreSQL", PrivateDatabase.open(settings.postgres(), "seggateway_bench_ingest",
                    work.resolve("postgres"), () -> PostgresBinaries.bundled(PostgresBinaries.defaultCacheRoot())));
            say("PostgreSQL: " + database.description());
            int httpPort = FreePorts.next(), scpPort = FreePorts.next();
            Path gatewayDir = Files.createDirectories(work.resolve("gateway"));
            IngestGatewayConfiguration.write("bench ingest", gatewayDir, database.database(), httpPort, scpPort, work.resolve("spool"), List.of());
            List<String> jvm = new ArrayList<>(List.of("-Xmx1g"));
            if (settings.flightRecording())
                jvm.add("-XX:StartFlightRecording=filename=" + gatewayDir.resolve("gateway.jfr") + ",settings=profile,dumponexit=true");
            ChildProcess gateway = stop.add("gateway", ChildProcess.start("gateway", GatewayApplication.command(jvm, Map.of()),
                    gatewayDir, Map.of(), gatewayDir.resolve("gateway.log"), Duration.ofSeconds(30)));
            GatewayApplication.awaitReady(gateway, httpPort, Duration.ofMinutes(3));
            IngestPeers.Receiver orthanc = stop.add("Orthanc", IngestPeers.orthanc(work.resolve("orthanc")));
            IngestPeers.Receiver storescp = stop.add("storescp", IngestPeers.storescp(work.resolve("storescp")));
            say("gateway (listener " + scpPort + "), Orthanc (" + orthanc.port() + ") and storescp (" + storescp.port() + ") ready");

            List<Target> targets = List.of(new Target("gateway", GATEWAY_AE, scpPort), new Target("Orthanc", orthanc.aeTitle(), orthanc.port()),
                    new Target("storescp", storescp.aeTitle(), storescp.port()));
            for (Target t : targets)
                check(IngestPeers.storescu(MODALITY_AE, t.aeTitle(), t.port(), warmUp.files(),
                        Files.createDirectories(work.resolve("warm-up")).resolve(t.name() + ".log")), t.name());
            say("warm-up sent to each receiver");
            for (int round = 1; round <= settings.rounds(); round++) {
                for (int n : counts) {
                    SyntheticSeries.Written s = series.get(round + "/" + n);
                    for (int k = 0; k < targets.size(); k++) {
                        Target t = targets.get((k + round - 1) % targets.size());   // each receiver takes a turn at going first
                        Path logs = Files.createDirectories(work.resolve("round-" + round).resolve(n + "-associations").resolve(t.name()));
                        IngestPeers.Sent sent = IngestPeers.storescuConcurrently(MODALITY_AE, t.aeTitle(), t.port(), s.files(), n, logs);
                        check(sent, t.name());
                        results.add(new Result(t.name(), round, n, sent.seconds(), sent.megabytesPerSecond()));
                    }
                    say("round " + round + ", " + n + " association" + (n == 1 ? "" : "s") + " done");
                }
            }
        }
        deleteTree(work.resolve("spool"));
        deleteTree(work.resolve("orthanc").resolve("storage"));
        deleteTree(work.resolve("storescp").resolve("received"));
        print(results, counts, name, first);
        out.println("logs in " + work + (settings.flightRecording() ? "; flight recording " + work.resolve("gateway/gateway.jfr") : ""));
    }

    private record Target(String name, String aeTitle, int port) {}

    private void print(List<Result> results, int[] counts, String name, SyntheticSeries.Written first) {
        out.println();
        out.printf(Locale.ROOT, "bench ingest: CT %s, %d files, %.1f MB per series (MB = 10^6 bytes); storescu TCP_NODELAY=1%n",
                name, first.files().size(), first.bytes() / 1e6);
        out.println("gateway: spool + fsync of file and folder + PostgreSQL commit per instance; Orthanc: SyncStorageArea"
                + " (fsync per file), SQLite index; storescp: no fsync");
        out.printf(Locale.ROOT, "%-6s %-13s %13s %13s %13s %16s%n", "round", "associations", "gateway MB/s", "Orthanc MB/s",
                "storescp MB/s", "gateway/Orthanc");
        int rounds = results.stream().mapToInt(Result::round).max().orElse(0);
        for (int n : counts) {
            double bestGateway = 0, bestOrthanc = 0, bestStorescp = 0;
            for (int round = 1; round <= rounds; round++) {
                double g = rate(results, "gateway", round, n), o = rate(results, "Orthanc", round, n), s = rate(results, "storescp", round, n);
                bestGateway = Math.max(bestGateway, g);
                bestOrthanc = Math.max(bestOrthanc, o);
                bestStorescp = Math.max(bestStorescp, s);
                out.printf(Locale.ROOT, "%-6d %-13d %13.1f %13.1f %13.1f %16.2f%n", round, n, g, o, s, g / o);
            }
            out.printf(Locale.ROOT, "%-6s %-13d %13.1f %13.1f %13.1f %16.2f%n", "best", n, bestGateway, bestOrthanc, bestStorescp,
                    bestGateway / bestOrthanc);
        }
        out.println();
    }

    private static double rate(List<Result> results, String receiver, int round, int associations) {
        return results.stream().filter(r -> r.receiver().equals(receiver) && r.round() == round && r.associations() == associations)
                .mapToDouble(Result::megabytesPerSecond).findFirst().orElse(Double.NaN);
    }

    private static void check(IngestPeers.Sent sent, String to) throws IOException {
        if (sent.exitCode() != 0) throw new IOException("storescu to " + to + " ended with " + sent.exitCode() + "; see " + sent.log());
    }

    private void say(String line) {
        out.printf(Locale.ROOT, "bench ingest [%6.1f s] %s%n", (System.nanoTime() - start) / 1e9, line);
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) return;
        try (Stream<Path> all = Files.walk(root)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        }
    }
}
