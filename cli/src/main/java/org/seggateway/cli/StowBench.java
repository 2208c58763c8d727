package org.seggateway.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.seggateway.dicomio.synthetic.SyntheticSeries;
import org.seggateway.local.FreePorts;
import org.seggateway.local.PostgresBinaries;
import org.seggateway.local.PostgresDatabase;
import org.seggateway.local.PrivateDatabase;

/**
 * {@code bench stow}: the gateway's two ingress paths side by side in one run, on the packaged gateway with a fresh
 * PostgreSQL database (queue off: ingest only): DCMTK storescu (TCP_NODELAY=1, one association) into the DICOM listener,
 * and a STOW-RS request (JDK HTTP client, one multipart/related body streamed from the files) into
 * {@code POST /dicomweb/studies}. Both write the spool with fsync and commit a row per instance. Two series of the same
 * size with their own UIDs (the same instances twice would be duplicates); a small warm-up series goes through each
 * path first.
 */
final class StowBench {
    private static final String GATEWAY_AE = LocalPipeline.GATEWAY_AE, MODALITY_AE = "BENCHCT", STOW_AE = "BENCHSTOW";

    record Settings(Path dir, int[] size, int rounds, PostgresDatabase postgres) {}

    private final PrintStream out;
    private final long start = System.nanoTime();

    StowBench(PrintStream out) {
        this.out = out;
    }

    void run(Settings settings) throws Exception {
        int[] size = settings.size();
        Path dir = settings.dir().toAbsolutePath();
        String name = size[0] + "x" + size[1] + "x" + size[2];
        List<SyntheticSeries.Written> dimse = new ArrayList<>(), stow = new ArrayList<>();
        for (int round = 1; round <= settings.rounds(); round++) {
            dimse.add(E2eBench.cachedSeries(dir.resolve("ct-" + name + "-cstore-" + round), size));
            stow.add(E2eBench.cachedSeries(dir.resolve("ct-" + name + "-stow-" + round), size));
        }
        SyntheticSeries.Written warmDimse = E2eBench.cachedSeries(dir.resolve("warm-up-cstore-128x128x48"), new int[] {128, 128, 48});
        SyntheticSeries.Written warmStow = E2eBench.cachedSeries(dir.resolve("warm-up-stow-128x128x48"), new int[] {128, 128, 48});
        Path work = Files.createDirectories(dir.resolve("run-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"))));
        Files.setPosixFilePermissions(work, PosixFilePermissions.fromString("rwxr-xr-x"));
        say("work folder " + work + "; series " + dimse.getFirst().files().size() + " files, "
                + String.format(Locale.ROOT, "%.1f", dimse.getFirst().bytes() / 1e6) + " MB");

        List<String[]> rows = new ArrayList<>();
        try (StopOnExit stop = new StopOnExit(this::say)) {
            PrivateDatabase database = stop.add("PostgreSQL", PrivateDatabase.open(settings.postgres(), "seggateway_bench_stow",
                    work.resolve("postgres"), () -> PostgresBinaries.bundled(PostgresBinaries.defaultCacheRoot())));
            int httpPort = FreePorts.next(), scpPort = FreePorts.next();
            ApiUser user = ApiUser.random("bench");
            Path gatewayDir = Files.createDirectories(work.resolve("gateway"));
            IngestGatewayConfiguration.write("bench stow", gatewayDir, database.database(), httpPort, scpPort, work.resolve("spool"),
                    List.of("seg-gateway.users." + user.name() + ".password-hash=" + user.passwordHash(),
                            "seg-gateway.users." + user.name() + ".roles=viewer",
                            "seg-gateway.stow-rs.senders." + user.name() + "=" + STOW_AE));
            ChildProcess gateway = stop.add("gateway", ChildProcess.start("gateway",
                    GatewayApplication.command(List.of("-Xmx1g"), Map.of()), gatewayDir, Map.of(),
                    gatewayDir.resolve("gateway.log"), Duration.ofSeconds(30)));
            GatewayApplication.awaitReady(gateway, httpPort, Duration.ofMinutes(3));
            say("gateway ready (listener " + scpPort + ", HTTP " + httpPort + ")");
            URI studies = URI.create("http://127.0.0.1:" + httpPort + "/dicomweb/studies");
            StowRsClient client = new StowRsClient();

            checkSent(IngestPeers.storescu(MODALITY_AE, GATEWAY_AE, scpPort, warmDimse.files(), work.resolve("storescu-warm-up.log")));
            checkStored(client.store(studies, user.basicAuthorization(), warmStow.files(), Duration.ofMinutes(5)));
            say("warm-up through both paths");
            for (int round = 0; round < settings.rounds(); round++) {
                IngestPeers.Sent c = IngestPeers.storescu(MODALITY_AE, GATEWAY_AE, scpPort, dimse.get(round).files(),
                        work.resolve("storescu-" + (round + 1) + ".log"));
                checkSent(c);
                rows.add(row("C-STORE: storescu -> gateway listener", round + 1, c.files(), c.bytes(), c.seconds()));
                StowRsClient.Result s = client.store(studies, user.basicAuthorization(), stow.get(round).files(), Duration.ofMinutes(30));
                checkStored(s);
                rows.add(row("STOW-RS: JDK HttpClient -> POST /dicomweb/studies", round + 1, s.files(), s.bytes(), s.seconds()));
                say("round " + (round + 1) + " done");
            }
        }
        deleteTree(work.resolve("spool"));
        out.println();
        out.printf(Locale.ROOT, "bench stow: ingest into the gateway (spool + fsync + PostgreSQL commit per instance), CT %s, %d files,"
                + " %.1f MB per series (MB = 10^6 bytes)%n", name, dimse.getFirst().files().size(), dimse.getFirst().bytes() / 1e6);
        out.printf(Locale.ROOT, "%-52s %5s %9s %9s%n", "path", "round", "seconds", "MB/s");
        for (String[] r : rows) out.printf(Locale.ROOT, "%-52s %5s %9s %9s%n", (Object[]) r);
        out.println();
        out.println("logs in " + work);
    }

    private static String[] row(String path, int round, int files, long bytes, double seconds) {
        return new String[] {path, Integer.toString(round), String.format(Locale.ROOT, "%.2f", seconds),
                String.format(Locale.ROOT, "%.1f", bytes / 1e6 / seconds)};
    }

    private static void checkSent(IngestPeers.Sent sent) throws IOException {
        if (sent.exitCode() != 0) throw new IOException("storescu ended with " + sent.exitCode() + "; see " + sent.log());
    }

    private static void checkStored(StowRsClient.Result r) throws IOException {
        if (r.status() != 200)
            throw new IOException("STOW-RS answered " + r.status() + ": " + r.body().substring(0, Math.min(500, r.body().length())));
    }

    private void say(String line) {
        out.printf(Locale.ROOT, "bench stow [%6.1f s] %s%n", (System.nanoTime() - start) / 1e9, line);
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) return;
        try (var all = Files.walk(root)) {
            for (Path p : all.sorted(java.util.Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        }
    }
}
