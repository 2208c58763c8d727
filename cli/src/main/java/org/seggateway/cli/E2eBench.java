package org.seggateway.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Stream;
import org.seggateway.dicomio.synthetic.SyntheticSeries;
import org.seggateway.local.FreePorts;
import org.seggateway.local.LocalKafka;
import org.seggateway.local.PostgresBinaries;
import org.seggateway.local.PostgresDatabase;
import org.seggateway.local.PrivateDatabase;

/**
 * {@code bench e2e}: one CT series through the product on this machine (Kafka broker, PostgreSQL database, packaged
 * gateway, one worker child JVM, a C-STORE receiver for the SEG), sent by DCMTK storescu, timed per stage; then the
 * same files into DCMTK storescp and Orthanc for the ingest comparison. A small warm-up series goes through first, so
 * that the measured run sees warm JVMs and an open model session.
 */
final class E2eBench {
    static final String GATEWAY_AE = LocalPipeline.GATEWAY_AE, RECEIVER_AE = "BENCHPACS", MODALITY_AE = "BENCHCT";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Logger QUIET_NET = Logger.getLogger("org.seggateway.dicomio.net");

    /**
     * @param dir          series (reused between runs) and one folder per run with the logs
     * @param size         rows, columns, slices of the measured series
     * @param quietTime    the route's quiet time, subtracted from the total
     * @param modelPackage the route's model
     * @param provider     the worker's execution provider
     */
    record Settings(Path dir, int[] size, Duration quietTime, Path modelPackage, String provider, Duration timeout,
                    PostgresDatabase postgres) {
    }

    private final PrintStream out;
    private final long start = System.nanoTime();

    E2eBench(PrintStream out) {
        this.out = out;
        QUIET_NET.setLevel(Level.WARNING);
    }

    void run(Settings settings) throws Exception {
        Path modelPackage = settings.modelPackage().toAbsolutePath();
        if (!Files.isRegularFile(modelPackage.resolve("model.json")))
            throw new IOException("no model package at " + modelPackage + " (model.json missing)");
        int[] size = settings.size();
        Path dir = settings.dir().toAbsolutePath();
        SyntheticSeries.Written series = cachedSeries(dir.resolve("ct-" + size[0] + "x" + size[1] + "x" + size[2]), size);
        SyntheticSeries.Written warmUp = cachedSeries(dir.resolve("warm-up-ct-128x128x48"), new int[] {128, 128, 48});
        Path work = Files.createDirectories(dir.resolve("run-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"))));
        Files.setPosixFilePermissions(work, PosixFilePermissions.fromString("rwxr-xr-x"));
        say("work folder " + work + "; series " + series.files().size() + " files, " + mb(series.bytes()) + " MB");

        E2eStages stages;
        IngestPeers.Sent intoGateway;
        String jobLine;
        try (StopOnExit stop = new StopOnExit(this::say)) {
            CompletableFuture<LocalKafka> kafkaStarting = LocalPipeline.startKafka(work.resolve("kafka"), stop);
            PrivateDatabase database = stop.add("PostgreSQL", PrivateDatabase.open(settings.postgres(), "seggateway_bench",
                    work.resolve("postgres"), () -> PostgresBinaries.bundled(PostgresBinaries.defaultCacheRoot())));
            say("PostgreSQL: " + database.description());
            LocalKafka kafka = LocalPipeline.started(kafkaStarting);
            SegArrivals receiver = stop.add("SEG receiver", SegArrivals.start(work.resolve("receiver"), RECEIVER_AE));

            int httpPort = FreePorts.next(), scpPort = FreePorts.next();
            Path gatewayDir = Files.createDirectories(work.resolve("gateway"));
            ApiUser apiUser = ApiUser.random("bench");
            new LocalPipeline.GatewayConfiguration("bench e2e", "bench", database.database(), kafka.bootstrapServers(), httpPort, scpPort,
                    work.resolve("spool"), settings.quietTime(), modelPackage, receiver.ae(), apiUser).write(gatewayDir);
            ChildProcess gateway = stop.add("gateway", ChildProcess.start("gateway",
                    GatewayApplication.command(List.of("-Xmx2g"), Map.of()), gatewayDir, Map.of(),
                    gatewayDir.resolve("gateway.log"), Duration.ofSeconds(30)));
            GatewayApplication.awaitReady(gateway, httpPort, Duration.ofMinutes(3));
            ChildProcess worker = stop.add("worker", ChildProcess.start("worker",
                    LocalPipeline.workerCommand("4g", kafka, modelPackage, "bench-worker", settings.provider()),
                    work, Map.of(), work.resolve("worker.log"), Duration.ofSeconds(30)));
            Runnable alive = () -> {
                gateway.checkAlive();
                worker.checkAlive();
            };
            say("gateway ready (" + GATEWAY_AE + "@127.0.0.1:" + scpPort + "), worker started (" + settings.provider() + ", "
                    + modelPackage.getFileName() + ")");

            IngestPeers.Sent warm = IngestPeers.storescu(MODALITY_AE, GATEWAY_AE, scpPort, warmUp.files(), work.resolve("storescu-warm-up.log"));
            checkSent(warm, "warm-up");
            receiver.next(settings.timeout(), alive);
            say("warm-up series through (" + warmUp.files().size() + " slices)");

            Instant firstSent = Instant.now();
            intoGateway = IngestPeers.storescu(MODALITY_AE, GATEWAY_AE, scpPort, series.files(), work.resolve("storescu-gateway.log"));
            Instant lastAnswered = Instant.now();
            checkSent(intoGateway, "gateway");
            say(String.format(Locale.ROOT, "sent %d instances to the gateway in %.2f s; waiting for the SEG", series.files().size(),
                    intoGateway.seconds()));
            SegArrivals.Arrival seg = receiver.next(settings.timeout(), alive);
            String job = jobJson(httpPort, apiUser, series.seriesInstanceUid());
            stages = E2eStages.of(job, firstSent, lastAnswered, seg.stored());
            JsonNode model = JSON.readTree(job).path("model");
            jobLine = "job " + JSON.readTree(job).path("id").asText() + ", model " + model.path("name").asText() + " "
                    + model.path("version").asText() + " on " + settings.provider() + ", SEG " + seg.sopInstanceUid();
        }
        say("stopped the pipeline; ingest comparison");

        List<String[]> ingest = new ArrayList<>();
        ingest.add(ingestRow("seg-gateway listener (spool + fsync + PostgreSQL commit)", intoGateway));
        try (IngestPeers.Receiver storescp = IngestPeers.storescp(work.resolve("storescp"))) {
            IngestPeers.Sent s = IngestPeers.storescu(MODALITY_AE, storescp.aeTitle(), storescp.port(), series.files(),
                    work.resolve("storescu-storescp.log"));
            checkSent(s, "storescp");
            ingest.add(ingestRow("DCMTK storescp (files, no fsync)", s));
        }
        try (IngestPeers.Receiver orthanc = IngestPeers.orthanc(work.resolve("orthanc"))) {
            IngestPeers.Sent s = IngestPeers.storescu(MODALITY_AE, orthanc.aeTitle(), orthanc.port(), series.files(),
                    work.resolve("storescu-orthanc.log"));
            checkSent(s, "Orthanc");
            ingest.add(ingestRow("Orthanc (storage + SQLite index)", s));
        }
        deleteTree(work.resolve("spool"));
        deleteTree(work.resolve("storescp").resolve("received"));
        deleteTree(work.resolve("orthanc").resolve("storage"));

        out.println();
        out.printf(Locale.ROOT, "bench e2e: CT %dx%dx%d (rows x columns x slices), %d files, %s MB; quiet time %d s; %s%n",
                size[0], size[1], size[2], series.files().size(), mb(series.bytes()), settings.quietTime().toSeconds(), jobLine);
        out.printf(Locale.ROOT, "%-52s %9s  %s%n", "stage", "seconds", "from");
        for (E2eStages.Stage s : stages.stages())
            out.printf(Locale.ROOT, "%-52s %9.2f  %s%n", (s.part() ? "  " : "") + s.name(), s.seconds(), s.source());
        out.printf(Locale.ROOT, "%-52s %9.2f  %s%n", "total, first C-STORE to SEG stored, less quiet time", stages.totalSeconds(),
                "wall clock");
        out.printf(Locale.ROOT, "%-52s %9.2f  %s%n", "gateway overhead", stages.gatewayOverheadSeconds(),
                "last instance stored to SEG stored, less quiet time and infer");
        out.println();
        out.printf(Locale.ROOT, "ingest: storescu (DCMTK, TCP_NODELAY=1, one association) -> receiver, the same %d files (MB = 10^6 bytes)%n",
                series.files().size());
        out.printf(Locale.ROOT, "%-58s %9s %9s%n", "receiver", "seconds", "MB/s");
        for (String[] row : ingest) out.printf(Locale.ROOT, "%-58s %9s %9s%n", (Object[]) row);
        out.println();
        out.println("logs in " + work);
    }

    static SyntheticSeries.Written cachedSeries(Path folder, int[] size) throws IOException {
        // written once: reading an existing folder back would need the UIDs, so a folder without its marker is rewritten
        Path marker = folder.resolve("series.json");
        if (Files.isRegularFile(marker)) {
            JsonNode m = JSON.readTree(marker.toFile());
            List<Path> files;
            try (Stream<Path> s = Files.list(folder)) {
                files = s.filter(p -> p.toString().endsWith(".dcm")).sorted().toList();
            }
            long bytes = 0;
            for (Path f : files) bytes += Files.size(f);
            if (files.size() == size[2])
                return new SyntheticSeries.Written(folder, m.path("study").asText(), m.path("series").asText(), m.path("frameOfReference").asText(),
                        List.of(), files, bytes);
        }
        deleteTree(folder);
        SyntheticSeries.Written w = SyntheticSeries.ct().size(size[0], size[1], size[2]).spacing(0.7, 0.7, 1.0).write(folder);
        JSON.writeValue(marker.toFile(), Map.of("study", w.studyInstanceUid(), "series", w.seriesInstanceUid(),
                "frameOfReference", w.frameOfReferenceUid()));
        return w;
    }

    /** The series' job from {@code GET /api/jobs}, then {@code GET /api/jobs/{id}}. */
    private static String jobJson(int httpPort, ApiUser user, String seriesInstanceUid) throws IOException, InterruptedException {
        String list = GatewayApplication.get(httpPort, "/api/jobs?size=50", user)
                .orElseThrow(() -> new IOException("GET /api/jobs did not answer"));
        for (JsonNode job : JSON.readTree(list).findParents("seriesInstanceUid"))
            if (seriesInstanceUid.equals(job.path("seriesInstanceUid").asText()) && job.hasNonNull("id"))
                return GatewayApplication.get(httpPort, "/api/jobs/" + job.get("id").asText(), user)
                        .orElseThrow(() -> new IOException("GET /api/jobs/" + job.get("id").asText() + " did not answer"));
        throw new IOException("no job of series " + seriesInstanceUid + " in GET /api/jobs");
    }

    private static void checkSent(IngestPeers.Sent sent, String to) throws IOException {
        if (sent.exitCode() != 0) throw new IOException("storescu to " + to + " ended with " + sent.exitCode() + "; see " + sent.log());
    }

    private static String[] ingestRow(String receiver, IngestPeers.Sent s) {
        return new String[] {receiver, String.format(Locale.ROOT, "%.2f", s.seconds()), String.format(Locale.ROOT, "%.1f", s.megabytesPerSecond())};
    }

    private static String mb(long bytes) {
        return String.format(Locale.ROOT, "%.1f", bytes / 1e6);
    }

    private void say(String line) {
        out.printf(Locale.ROOT, "bench e2e [%6.1f s] %s%n", (System.nanoTime() - start) / 1e9, line);
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) return;
        try (Stream<Path> all = Files.walk(root)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        }
    }
}
