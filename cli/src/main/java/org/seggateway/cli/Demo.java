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
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeoutException;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.seggateway.dicomio.header.DicomHeader;
import org.seggateway.dicomio.net.DicomSender;
import org.seggateway.dicomio.net.RemoteAe;
import org.seggateway.dicomio.net.StoreResult;
import org.seggateway.dicomio.synthetic.SyntheticSeries;
import org.seggateway.local.FreePorts;
import org.seggateway.local.LocalKafka;
import org.seggateway.local.PostgresBinaries;
import org.seggateway.local.PrivateDatabase;

/**
 * The single-machine default, once through: a Kafka broker, a PostgreSQL database, the gateway, one CPU worker and
 * a stand-in PACS on loopback; the bundled sample CT series goes in by C-STORE, its SEG comes out at the PACS.
 * Everything started is stopped again, also when a step fails or the JVM is interrupted.
 */
final class Demo {
    static final String GATEWAY_AE = LocalPipeline.GATEWAY_AE, PACS_AE = "DEMOPACS", MODALITY_AE = "DEMOCT";
    /** The route waits this long after the last instance of a series before it counts the series complete. */
    private static final Duration QUIET_TIME = Duration.ofSeconds(2);
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The stand-in PACS's receiver logs each association at INFO; the demo prints its own lines. */
    private static final Logger QUIET_NET = Logger.getLogger("org.seggateway.dicomio.net");

    private final PrintStream out;
    private final long start = System.nanoTime();
    private final Map<String, Double> seconds = new LinkedHashMap<>();

    Demo(PrintStream out) {
        this.out = out;
        QUIET_NET.setLevel(Level.WARNING);
    }

    DemoReport run(DemoSettings settings) throws Exception {
        Path modelPackage = settings.modelPackage().toAbsolutePath();
        if (!Files.isRegularFile(modelPackage.resolve("model.json")))
            throw new IOException("no model package at " + modelPackage + " (model.json missing)");
        Path work = settings.workFolder().orElseGet(Demo::newWorkFolder).toAbsolutePath();
        Files.createDirectories(work);
        Files.setPosixFilePermissions(work, PosixFilePermissions.fromString("rwxr-xr-x"));
        say("work folder " + work);
        boolean done = false;
        try (StopOnExit stop = new StopOnExit(problem -> say(problem))) {
            DemoReport report = run(settings, modelPackage, work, stop);
            done = true;
            return report;
        } finally {
            say("stopped everything");
            if (done && settings.workFolder().isEmpty() && !settings.keep()) deleteTree(work);
            else say("kept " + work + " (logs: gateway/gateway.log, worker.log, kafka/broker.log)");
        }
    }

    private DemoReport run(DemoSettings settings, Path modelPackage, Path work, StopOnExit stop) throws Exception {
        // Kafka and PostgreSQL start side by side; the sample series is written meanwhile
        long t = System.nanoTime();
        CompletableFuture<LocalKafka> kafkaStarting = LocalPipeline.startKafka(work.resolve("kafka"), stop);
        PrivateDatabase database = stop.add("PostgreSQL", PrivateDatabase.open(settings.postgres(), "seggateway_demo",
                work.resolve("postgres"), () -> settings.postgresBin().isPresent()
                        ? PostgresBinaries.at(settings.postgresBin().get())
                        : PostgresBinaries.bundled(PostgresBinaries.defaultCacheRoot())));
        say("PostgreSQL: " + database.description());
        int[] size = settings.size();
        SyntheticSeries.Written sample = SyntheticSeries.ct().size(size[0], size[1], size[2]).spacing(1.4, 1.4, 3.0)
                .write(work.resolve("sample"));
        LocalKafka kafka = LocalPipeline.started(kafkaStarting);
        say("Kafka: broker " + kafka.bootstrapServers() + " (KRaft, child JVM, data in " + kafka.directory() + ")");
        lap("services", t);

        t = System.nanoTime();
        SegArrivals pacs = stop.add("stand-in PACS", SegArrivals.start(work.resolve("pacs"), PACS_AE));
        int httpPort = FreePorts.next(), scpPort = FreePorts.next();
        Path gatewayDir = Files.createDirectories(work.resolve("gateway"));
        ApiUser apiUser = ApiUser.random("demo");
        new LocalPipeline.GatewayConfiguration("demo", "demo", database.database(), kafka.bootstrapServers(), httpPort, scpPort, work.resolve("spool"),
                QUIET_TIME, modelPackage, pacs.ae(), apiUser).write(gatewayDir);
        ChildProcess gateway = stop.add("gateway", ChildProcess.start("gateway",
                GatewayApplication.command(List.of("-Xmx1g"), Map.of()), gatewayDir, Map.of(),
                gatewayDir.resolve("gateway.log"), Duration.ofSeconds(30)));
        GatewayApplication.awaitReady(gateway, httpPort, Duration.ofMinutes(3));
        say("gateway: ready, DICOM " + GATEWAY_AE + "@127.0.0.1:" + scpPort + ", HTTP 127.0.0.1:" + httpPort
                + ", configuration " + gatewayDir.resolve("config/application.properties"));
        ChildProcess worker = stop.add("worker", ChildProcess.start("worker",
                LocalPipeline.workerCommand("2g", kafka, modelPackage, "demo-worker", "cpu"), work, Map.of(),
                work.resolve("worker.log"), Duration.ofSeconds(30)));
        say("worker: started on CPU with model " + modelPackage.getFileName() + " (log " + worker.log() + ")");
        lap("gateway and worker start", t);

        t = System.nanoTime();
        RemoteAe gatewayAe = new RemoteAe("127.0.0.1", scpPort, GATEWAY_AE);
        StoreResult sent = new DicomSender(MODALITY_AE).store(gatewayAe, sample.files());
        if (!sent.allStored())
            throw new IOException(sent.failures().size() + " of " + sample.files().size() + " instances were not stored by the gateway: "
                    + sent.failures().getFirst() + "; see " + gateway.log());
        long sentAt = System.nanoTime();
        say(String.format("sent the sample CT (%d instances, %dx%dx%d, %.1f MB) to %s", sample.files().size(), size[1], size[0],
                size[2], sample.bytes() / 1e6, gatewayAe));
        lap("send", t);

        SegArrivals.Arrival seg;
        try {
            seg = pacs.next(settings.timeout(), () -> {
                gateway.checkAlive();
                worker.checkAlive();
            });
        } catch (TimeoutException e) {
            throw new TimeoutException("no SEG reached the stand-in PACS within " + settings.timeout().toSeconds()
                    + " s after the sample was sent; see " + gateway.log() + " and " + worker.log());
        }
        seconds.put("wait for the SEG", (seg.storedNanos() - sentAt) / 1e9);
        seconds.put("total", (seg.storedNanos() - start) / 1e9);

        DicomHeader header = DicomHeader.read(seg.file());
        Optional<String> job = jobJson(httpPort, apiUser, sample.seriesInstanceUid());
        DemoReport report = new DemoReport(seg.file(), header.string("SOPInstanceUID"), header.string("SeriesInstanceUID"),
                parseInt(header.string("NumberOfFrames")), PACS_AE + "@127.0.0.1:" + pacs.port() + " (stand-in PACS, from "
                + seg.callingAeTitle() + ")", sample.seriesInstanceUid(), sample.files().size(), seconds,
                job.map(Demo::stageSeconds).orElse(Map.of()), job.orElse(null));
        print(report);
        return report;
    }

    private void print(DemoReport r) {
        out.println();
        out.println("SEG stored at    " + r.segFile());
        out.println("  SOP Instance   " + r.segSopInstanceUid());
        out.println("  Series         " + r.segSeriesInstanceUid());
        out.println("  frames         " + r.frames());
        out.println("  destination    " + r.destination());
        out.println("  source series  " + r.sentSeriesInstanceUid() + " (" + r.sentInstances() + " instances)");
        out.println("timings (s)");
        r.seconds().forEach((k, v) -> out.printf("  %-26s %7.2f%n", k, v));
        if (r.jobStageSeconds().isEmpty()) {
            out.println("job stages: not available from GET /api/jobs");
        } else {
            out.println("job stages (s, GET /api/jobs/{id})");
            r.jobStageSeconds().forEach((k, v) -> out.printf("  %-26s %7.2f%n", k, v));
        }
        out.println();
    }

    /** The job of the sent series from the REST API ({@code GET /api/jobs}, then {@code GET /api/jobs/{id}}). */
    private static Optional<String> jobJson(int httpPort, ApiUser user, String seriesInstanceUid) throws InterruptedException {
        Optional<String> list = GatewayApplication.get(httpPort, "/api/jobs?size=50", user);
        if (list.isEmpty()) return Optional.empty();
        try {
            for (JsonNode job : JSON.readTree(list.get()).findParents("seriesInstanceUid")) {
                if (seriesInstanceUid.equals(job.path("seriesInstanceUid").asText()) && job.hasNonNull("id"))
                    return GatewayApplication.get(httpPort, "/api/jobs/" + job.get("id").asText(), user);
            }
        } catch (IOException unreadable) {
            return Optional.empty();
        }
        return Optional.empty();
    }

    /**
     * The job's stages: the spans between the instants the gateway recorded (received ... finished, delivered) and the
     * seconds it reports per stage (gateway: assemble, publish, SEG build; worker: its own stages).
     */
    static Map<String, Double> stageSeconds(String jobJson) {
        Map<String, Double> stages = new LinkedHashMap<>();
        try {
            JsonNode job = JSON.readTree(jobJson);
            JsonNode t = job.path("timings");
            span(stages, "receive (first to last)", t, "firstReceived", "lastReceived");
            span(stages, "quiet time", t, "lastReceived", "complete");
            span(stages, "complete to queued", t, "complete", "queued");
            span(stages, "queued to worker start", t, "queued", "started");
            span(stages, "worker start to finished", t, "started", "finished");
            for (JsonNode d : job.path("deliveries")) {
                Instant finished = instant(t, "finished"), delivered = instant(d, "delivered");
                if (finished != null && delivered != null)
                    stages.put("finished to delivered (" + d.path("destination").asText() + ")",
                            Duration.between(finished, delivered).toNanos() / 1e9);
            }
            JsonNode seconds = t.path("stageSeconds");
            seconds.properties().stream()
                    .filter(e -> e.getValue().isNumber())
                    .sorted(Comparator.comparingInt((Map.Entry<String, JsonNode> e) -> pipelineOrder(e.getKey()))
                            .thenComparing(Map.Entry::getKey))
                    .forEach(e -> stages.put("stage " + e.getKey(), e.getValue().asDouble()));
        } catch (IOException unreadable) {
            return Map.of();
        }
        return stages;
    }

    /** Gateway and worker stages in the order a job passes them; unknown names last. */
    private static int pipelineOrder(String stage) {
        int i = List.of("assemble", "publish", "preprocess", "gather", "inference", "blending", "slidingWindow", "postprocess",
                "total", "segBuild").indexOf(stage);
        return i < 0 ? Integer.MAX_VALUE : i;
    }

    private static void span(Map<String, Double> stages, String name, JsonNode timings, String from, String to) {
        Instant a = instant(timings, from), b = instant(timings, to);
        if (a != null && b != null) stages.put(name, Duration.between(a, b).toNanos() / 1e9);
    }

    private static Instant instant(JsonNode node, String field) {
        JsonNode v = node.path(field);
        try {
            return v.isTextual() ? Instant.parse(v.asText()) : null;
        } catch (RuntimeException notAnInstant) {
            return null;
        }
    }

    private void lap(String step, long since) {
        seconds.put(step, (System.nanoTime() - since) / 1e9);
    }

    private void say(String line) {
        out.printf("demo [%6.1f s] %s%n", (System.nanoTime() - start) / 1e9, line);
    }

    private static int parseInt(String s) {
        try {
            return Integer.parseInt(s.strip());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static Path newWorkFolder() {
        return ProjectHome.get().resolve("target/demo/" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
    }

    /** Deletes a folder and everything in it. */
    static void deleteTree(Path root) throws IOException {
        try (var all = Files.walk(root)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        }
    }
}
