package org.seggateway.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.seggateway.dicomio.header.DicomHeader;
import org.seggateway.dicomio.synthetic.SyntheticSeries;
import org.seggateway.local.FreePorts;
import org.seggateway.local.LocalKafka;
import org.seggateway.local.PostgresBinaries;
import org.seggateway.local.PostgresDatabase;
import org.seggateway.local.PrivateDatabase;

/**
 * How much a reprocessing batch delays live series: the time from a live series' first C-STORE to its SEG at the
 * receiver (quiet time left out) with the workers idle, then again while a batch over past series runs, beside the
 * bound the gateway states (max-in-flight batch jobs, each as long as the batch's longest job).
 */
final class ReprocessBench {
    private static final String MODALITY_AE = "BENCHCT", RECEIVER_AE = "BENCHPACS";

    record Settings(Path dir, int[] size, int pastSeries, int maxInFlight, Path modelPackage, Duration timeout,
                    PostgresDatabase postgres) {
    }

    private final PrintStream out;
    private final long start = System.nanoTime();

    ReprocessBench(PrintStream out) {
        this.out = out;
    }

    void run(Settings settings) throws Exception {
        Path modelPackage = settings.modelPackage().toAbsolutePath();
        Path work = Files.createDirectories(settings.dir().toAbsolutePath()
                .resolve("run-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"))));
        int[] size = settings.size();
        List<SyntheticSeries.Written> past = new ArrayList<>();
        for (int i = 0; i < settings.pastSeries(); i++) past.add(series(work.resolve("past-" + i), size));
        SyntheticSeries.Written warmUp = series(work.resolve("warm-up"), new int[] {128, 128, 48});
        SyntheticSeries.Written idleLive = series(work.resolve("live-idle"), size), busyLive = series(work.resolve("live-busy"), size);
        Duration quiet = Duration.ofSeconds(2);

        double idleSeconds, busySeconds;
        JsonNode batch;
        try (StopOnExit stop = new StopOnExit(this::say)) {
            var kafkaStarting = LocalPipeline.startKafka(work.resolve("kafka"), stop);
            PrivateDatabase database = stop.add("PostgreSQL", PrivateDatabase.open(settings.postgres(), "seggateway_bench",
                    work.resolve("postgres"), () -> PostgresBinaries.bundled(PostgresBinaries.defaultCacheRoot())));
            LocalKafka kafka = LocalPipeline.started(kafkaStarting);
            SegArrivals receiver = stop.add("SEG receiver", SegArrivals.start(work.resolve("receiver"), RECEIVER_AE));
            int httpPort = FreePorts.next(), scpPort = FreePorts.next();
            Path gatewayDir = Files.createDirectories(work.resolve("gateway"));
            ApiUser apiUser = ApiUser.random("bench");
            new LocalPipeline.GatewayConfiguration("bench reprocess", "bench", database.database(), kafka.bootstrapServers(), httpPort, scpPort,
                    work.resolve("spool"), quiet, modelPackage, receiver.ae(), apiUser).write(gatewayDir);
            ChildProcess gateway = stop.add("gateway", ChildProcess.start("gateway",
                    GatewayApplication.command(List.of("-Xmx2g"), Map.of("seg-gateway.reprocess.max-in-flight",
                            Integer.toString(settings.maxInFlight()), "seg-gateway.reprocess.check-every", "1s")),
                    gatewayDir, Map.of(), gatewayDir.resolve("gateway.log"), Duration.ofSeconds(30)));
            GatewayApplication.awaitReady(gateway, httpPort, Duration.ofMinutes(3));
            ChildProcess worker = stop.add("worker", ChildProcess.start("worker",
                    LocalPipeline.workerCommand("4g", kafka, modelPackage, "bench-worker", "cpu"), work, Map.of(),
                    work.resolve("worker.log"), Duration.ofSeconds(30)));
            Runnable alive = () -> {
                gateway.checkAlive();
                worker.checkAlive();
            };
            GatewayApi api = GatewayApi.at("http://127.0.0.1:" + httpPort, apiUser);
            Live live = new Live(scpPort, receiver, alive, settings.timeout(), work);

            live.seconds(warmUp);
            for (SyntheticSeries.Written s : past) live.seconds(s);
            say(past.size() + " past series processed live");
            idleSeconds = live.seconds(idleLive) - quiet.toSeconds();
            say(String.format(Locale.ROOT, "live series with idle workers: %.2f s", idleSeconds));

            JsonNode created = api.post("/api/reprocess", Map.of("studyUids", past.stream().map(SyntheticSeries.Written::studyInstanceUid).toList(),
                    "model", modelPackage.toString(), "reason", "bench reprocess"));
            String batchId = created.path("batchId").asText();
            while (api.get("/api/reprocess/" + batchId).path("queued").asInt() == 0) Thread.sleep(200);
            Thread.sleep(3000); // the worker is well into a batch job when the live series arrives
            busySeconds = live.seconds(busyLive) - quiet.toSeconds();
            say(String.format(Locale.ROOT, "live series during the batch: %.2f s", busySeconds));
            do {
                Thread.sleep(1000);
                alive.run();
                batch = api.get("/api/reprocess/" + batchId);
            } while ("running".equals(batch.path("state").asText()));
        }

        List<Double> jobSeconds = new ArrayList<>();
        for (JsonNode job : batch.path("jobs")) jobSeconds.add(job.path("seconds").asDouble());
        double longest = jobSeconds.stream().mapToDouble(Double::doubleValue).max().orElse(0);
        out.println();
        out.printf(Locale.ROOT, "bench reprocess: CT %dx%dx%d, %d past series reprocessed, max-in-flight %d, one CPU worker, model %s%n",
                size[0], size[1], size[2], past.size(), settings.maxInFlight(), modelPackage.getFileName());
        out.printf(Locale.ROOT, "%-60s %9s%n", "", "seconds");
        out.printf(Locale.ROOT, "%-60s %9.2f%n", "live series, first C-STORE to SEG stored, workers idle", idleSeconds);
        out.printf(Locale.ROOT, "%-60s %9.2f%n", "live series, same, during the batch", busySeconds);
        out.printf(Locale.ROOT, "%-60s %9.2f%n", "delay of the live series", busySeconds - idleSeconds);
        out.printf(Locale.ROOT, "%-60s %9.2f%n", "stated bound: max-in-flight x longest batch job", settings.maxInFlight() * longest);
        out.printf(Locale.ROOT, "%-60s %9s%n", "batch jobs, queued to done", jobSeconds.stream()
                .map(s -> String.format(Locale.ROOT, "%.1f", s)).toList());
        out.printf(Locale.ROOT, "%-60s %9s%n", "batch", batch.path("state").asText() + ", " + batch.path("done").asInt() + " done, "
                + batch.path("failed").asInt() + " failed");
        out.println("logs in " + work);
    }

    /** Sends series to the gateway and times each to its SEG at the receiver. */
    private record Live(int scpPort, SegArrivals receiver, Runnable alive, Duration timeout, Path work) {
        double seconds(SyntheticSeries.Written series) throws Exception {
            Instant first = Instant.now();
            IngestPeers.Sent sent = IngestPeers.storescu(MODALITY_AE, LocalPipeline.GATEWAY_AE, scpPort, series.files(),
                    work.resolve("storescu.log"));
            if (sent.exitCode() != 0) throw new IOException("storescu ended with " + sent.exitCode() + "; see " + sent.log());
            while (true) {
                SegArrivals.Arrival seg = receiver.next(timeout, alive);
                if (series.studyInstanceUid().equals(DicomHeader.read(seg.file()).string("StudyInstanceUID")))
                    return Duration.between(first, seg.stored()).toMillis() / 1000.0;
            }
        }
    }

    private static SyntheticSeries.Written series(Path folder, int[] size) throws IOException {
        return SyntheticSeries.ct().size(size[0], size[1], size[2]).spacing(0.7, 0.7, 1.0).write(folder);
    }

    private void say(String line) {
        out.printf(Locale.ROOT, "bench reprocess [%6.1f s] %s%n", (System.nanoTime() - start) / 1e9, line);
    }
}
