package org.seggateway.it.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * A load held for minutes against the packaged gateway with its real peers ({@link Pipeline}): {@code load.associations}
 * (8) concurrent {@code storescu} associations, each sending small synthetic CT series in turn ({@link SeriesSender}),
 * while one worker (child JVM, threshold runner) processes them, and Orthanc, the PACS, is stopped in the middle for
 * {@link #PACS_DOWN} and started again on the same ports and storage. When everything has drained: every instance
 * acknowledged with Success has its row and its spool file with the bytes sent, and every series has exactly one
 * SEG per series version in Orthanc, none duplicated. The figures are printed and kept in {@code load-figures.txt}
 * of the work folder.
 *
 * <p>The sending lasts {@code -Dload.duration} (default 90s, the CI form; e.g. {@code -Dload.duration=10m} for the full
 * form), with {@code -Dload.series-per-association} (3) series per association.
 */
class SustainedLoadIT {
    static final Duration QUIET_TIME = Duration.ofSeconds(3);
    /** Orthanc stays down this long, and longer until a SEG delivery has found it down (at most MAX_PACS_DOWN). */
    static final Duration PACS_DOWN = Duration.ofSeconds(10), MAX_PACS_DOWN = Duration.ofMinutes(2);
    static final Duration MIN_DRAIN = Duration.ofMinutes(3);

    @Test
    void concurrentAssociationsForMinutesWithAPacsRestartLoseNoInstanceAndDuplicateNoSeg() throws Exception {
        Duration duration = duration(System.getProperty("load.duration", "90s"));
        int associations = Integer.getInteger("load.associations", 8);
        int seriesPerAssociation = Integer.getInteger("load.series-per-association", 3);
        Path directory = Pipeline.workDirectory(SustainedLoadIT.class);
        // explicit, whatever the defaults: the API on loopback (the database password is set by Pipeline)
        Map<String, String> gatewayProperties = Map.of("quarkus.http.host", "127.0.0.1");
        try (Pipeline pipeline = Pipeline.start(directory, QUIET_TIME, gatewayProperties, List.of());
             WorkerProcess worker = WorkerProcess.start(pipeline.broker().bootstrapServers(), "load-worker", Duration.ZERO,
                     directory.resolve("workers").resolve("load-worker.log"));
             GatewayHeap heap = GatewayHeap.sample(pipeline.gateway().httpPort(), Duration.ofSeconds(1))) {
            PipelineDatabase db = pipeline.database();
            LoadLedger ledger = new LoadLedger();
            Instant start = Instant.now();
            Instant deadline = start.plus(duration);
            ExecutorService pool = Executors.newFixedThreadPool(associations, Thread.ofPlatform().name("sender-", 0).factory());
            List<Future<?>> senders = new ArrayList<>();
            for (int i = 0; i < associations; i++)
                senders.add(pool.submit(new SeriesSender(i, pipeline, directory.resolve("sent").resolve("sender-" + i), deadline,
                        seriesPerAssociation, ledger)));
            pool.shutdown();

            Thread.sleep(Math.max(0, Duration.between(Instant.now(), start.plus(duration.dividedBy(2))).toMillis()));
            Instant pacsDown = Instant.now();
            pipeline.orthanc().stop();
            Thread.sleep(PACS_DOWN.toMillis());
            awaitDeliveryAttemptWithoutAnswer(db, pacsDown, MAX_PACS_DOWN.minus(PACS_DOWN));
            pipeline.orthanc().restart();
            Duration pacsDownFor = Duration.between(pacsDown, Instant.now());
            for (Future<?> sender : senders) sender.get();
            Instant sendingEnded = Instant.now();

            drain(db, duration.compareTo(MIN_DRAIN) > 0 ? duration : MIN_DRAIN);
            Instant drained = Instant.now();

            List<LoadLedger.AcknowledgedInstance> acknowledged = ledger.acknowledged();
            Set<String> acknowledgedSeries = acknowledged.stream().map(LoadLedger.AcknowledgedInstance::seriesInstanceUid)
                    .collect(Collectors.toSet());
            LoadCheck.SpoolTally spool = LoadCheck.spool(acknowledged, db);
            LoadCheck.SegTally segs = LoadCheck.segs(ledger.series(), acknowledgedSeries, db, new OrthancContent(pipeline.orthanc()));
            double seconds = Duration.between(start, sendingEnded).toMillis() / 1000.0;
            List<Integer> windows = tenSecondWindows(db, start, sendingEnded);
            String figures = String.join("\n",
                    "load test: %d associations, %d series each, sending %s; the PACS down %d s from %d s"
                            .formatted(associations, seriesPerAssociation, human(Duration.between(start, sendingEnded)),
                                    pacsDownFor.toSeconds(), Duration.between(start, pacsDown).toSeconds()),
                    "  instances sent %d, acknowledged (Success) %d, other answers %s, lost %d; spool rows checked %d, damaged %d"
                            .formatted(ledger.instancesSent(), spool.acknowledged(), ledger.otherStatuses(), spool.lost(),
                                    spool.rows(), spool.damagedRows()),
                    "  series %d (reopened: %s); SEGs expected %d, found %d, duplicated %d, missing %d; jobs not done %d"
                            .formatted(segs.series(), db.scalar("select count(*) from series where version > 1"),
                                    segs.expected(), segs.found(), segs.duplicated(), segs.missing(), segs.jobsNotDone()),
                    "  instances/s held %.1f (10 s windows: min %s, max %s); associations %d, ended in error %d"
                            .formatted(spool.acknowledged() / seconds, windows.stream().min(Integer::compare).map(n -> n / 10.0).orElse(null),
                                    windows.stream().max(Integer::compare).map(n -> n / 10.0).orElse(null),
                                    ledger.associations(), ledger.failedAssociations().size()),
                    "  delivery attempts without answer (PACS down) %d; drained %s after the last C-STORE; gateway peak heap %s"
                            .formatted(attemptsWithoutAnswer(db, pacsDown),
                                    human(Duration.between(sendingEnded, drained)), mib(heap.peakBytes(), heap.samples())),
                    "  duration %s".formatted(human(Duration.between(start, drained))));
            System.out.println(figures);
            Files.writeString(directory.resolve("load-figures.txt"), figures + "\n");

            assertThat(spool.problems()).as("acknowledged instances lost, spool files damaged").isEmpty();
            assertThat(spool.lost()).isZero();
            assertThat(segs.problems()).as("series without exactly one done job and one SEG in Orthanc per version").isEmpty();
            assertThat(segs.duplicated()).isZero();
            assertThat(segs.found()).isEqualTo(segs.expected());
            assertThat(spool.acknowledged()).as("every valid instance sent is acknowledged; failed associations: "
                    + ledger.failedAssociations()).isEqualTo(ledger.instancesSent()).isPositive();
            assertThat(attemptsWithoutAnswer(db, pacsDown)).as("deliveries tried while the PACS was down").isPositive();
            assertThat(pipeline.gateway().isAlive()).isTrue();
        }
    }

    /** Waits until the gateway has tried a delivery that got no answer (the PACS down). */
    private static void awaitDeliveryAttemptWithoutAnswer(PipelineDatabase db, Instant since, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (attemptsWithoutAnswer(db, since) == 0) {
            if (System.nanoTime() > deadline) return; // asserted at the end, with the figures
            Thread.sleep(250);
        }
    }

    private static int attemptsWithoutAnswer(PipelineDatabase db, Instant since) throws Exception {
        return Integer.parseInt(db.scalar("select count(*) from delivery_attempts where dicom_status is null and attempted_at >= ?",
                java.sql.Timestamp.from(since)));
    }

    /** Waits until every series is complete with jobs for its version, every job finished, every delivery delivered. */
    private static void drain(PipelineDatabase db, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        long nextReport = 0;
        String backlog;
        while (true) {
            backlog = db.scalar("""
                    select concat_ws(' ',
                      'receiving', (select count(*) from series where state = 'receiving'),
                      'without-job', (select count(*) from series s where not exists
                          (select 1 from jobs j where j.series_id = s.id and j.series_version = s.version)),
                      'unfinished-jobs', (select count(*) from jobs where state not in ('done', 'failed', 'skipped')),
                      'pending-deliveries', (select count(*) from deliveries where state = 'pending'))""");
            if (backlog.matches("receiving 0 without-job 0 unfinished-jobs 0 pending-deliveries 0")) return;
            if (System.nanoTime() > deadline) throw new AssertionError("not drained within " + timeout + ": " + backlog);
            if (System.nanoTime() > nextReport) {
                System.out.println("load test: draining, " + backlog);
                nextReport = System.nanoTime() + Duration.ofSeconds(15).toNanos();
            }
            Thread.sleep(500);
        }
    }

    /** Instances the gateway stored per whole 10 s window of the sending phase (the partial first and last left out). */
    private static List<Integer> tenSecondWindows(PipelineDatabase db, Instant from, Instant to) throws Exception {
        List<Integer> windows = new ArrayList<>();
        for (List<String> r : db.rows("""
                select floor(extract(epoch from received_at - ?) / 10)::text, count(*)::text from instances
                where received_at >= ? and received_at < ? group by 1 order by 1::numeric""",
                java.sql.Timestamp.from(from), java.sql.Timestamp.from(from), java.sql.Timestamp.from(to)))
            windows.add(Integer.parseInt(r.get(1)));
        return windows.size() > 2 ? windows.subList(1, windows.size() - 1) : windows;
    }

    /** {@code 90s}, {@code 10m}, {@code 1h}, or ISO-8601 ({@code PT10M}). */
    static Duration duration(String text) {
        String t = text.strip().toLowerCase(Locale.ROOT);
        if (t.startsWith("pt")) return Duration.parse(t);
        long n = Long.parseLong(t.substring(0, t.length() - 1));
        return switch (t.charAt(t.length() - 1)) {
            case 's' -> Duration.ofSeconds(n);
            case 'm' -> Duration.ofMinutes(n);
            case 'h' -> Duration.ofHours(n);
            default -> throw new IllegalArgumentException("load.duration: a number with s, m or h (e.g. 90s, 10m), or PT...: " + text);
        };
    }

    private static String human(Duration d) {
        return d.toSeconds() >= 120 ? "%d min %d s".formatted(d.toMinutes(), d.toSecondsPart()) : d.toSeconds() + " s";
    }

    private static String mib(long bytes, long samples) {
        return bytes < 0 ? "not sampled" : String.format(Locale.ROOT, "%d MiB (%d samples)", bytes >> 20, samples);
    }
}
