package org.seggateway.it.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.seggateway.cli.ClusterCheck;
import org.seggateway.cli.LocalCluster;
import org.seggateway.cli.SeriesLoad;
import org.seggateway.dicomio.net.RemoteAe;
import org.seggateway.dicomio.testing.Orthanc;
import org.seggateway.inference.queue.Topics;
import org.seggateway.it.pipeline.OrthancContent;
import org.seggateway.it.pipeline.Pipeline;

/**
 * Faults at scale against the cluster of {@code seg-gateway cluster} (three KRaft brokers, two gateways on one database
 * and spool, three CPU workers with the demo model) delivering to Orthanc, under a steady load of CT series sent to
 * both gateways in turn: a broker killed (the leader of a jobs partition), a gateway killed while it holds an
 * association, a worker killed while it runs a job, PostgreSQL paused for 20 s, the spool's disk below the gateways'
 * floor. After each, every instance answered with Success is stored, every series has exactly its SEGs at Orthanc (by
 * SOP Instance UID: one per version, none the gateways did not record), no job is left open, and the time to recover
 * is printed beside the same figure measured before any fault.
 *
 * <p>CI runs a short form; {@code -Dcluster.load-every-s=4 -Dcluster.fault-s=30 -Dcluster.size=96x96x32
 * -Dcluster.recovery-limit-s=600} is the full one (docs/scale-out.md). A load beyond what the machine processes makes a
 * backlog that the recovery limit must cover.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterFaultsIT {
    private static final Duration LOAD_EVERY = Duration.ofMillis((long) (Double.parseDouble(System.getProperty("cluster.load-every-s", "6")) * 1000));
    private static final Duration FAULT = Duration.ofSeconds(Long.getLong("cluster.fault-s", 12));
    private static final Duration POSTGRES_PAUSE = Duration.ofSeconds(20);
    private static final Duration RECOVERY_LIMIT = Duration.ofSeconds(Long.getLong("cluster.recovery-limit-s", 240));
    private static final int[] SIZE = size(System.getProperty("cluster.size", "64x64x24"));
    /** Free space the gateways keep; the disk-full test takes it away with one allocated file. */
    private static final long FLOOR_MARGIN = 1536L << 20, FILLER = 3072L << 20;

    static Path directory;
    static Orthanc orthanc;
    static LocalCluster cluster;
    static SeriesLoad load;
    static ClusterCheck check;
    static final Map<String, Double> recoverySeconds = new LinkedHashMap<>();

    @BeforeAll
    static void start() throws Exception {
        directory = Pipeline.workDirectory(ClusterFaultsIT.class);
        orthanc = Orthanc.start(Files.createDirectories(directory.resolve("orthanc")), List.of());
        long floor = Files.getFileStore(directory).getUsableSpace() - FLOOR_MARGIN;
        Map<String, String> properties = new LinkedHashMap<>();
        properties.put("seg-gateway.scp.limits.min-free-disk", (floor >> 20) + "M");
        properties.put("seg-gateway.completion.check-every", "1s");
        properties.put("seg-gateway.delivery.check-every", "1s");
        properties.put("seg-gateway.delivery.initial-backoff", "1s");
        properties.put("seg-gateway.delivery.max-backoff", "3s");
        cluster = LocalCluster.start(new LocalCluster.Settings(directory.resolve("cluster"), 3, 2, 3,
                Path.of("../models/demo-abdomen-unet").toAbsolutePath().normalize(), Duration.ofSeconds(4),
                Optional.of(new RemoteAe("127.0.0.1", orthanc.dicomPort(), Orthanc.AE_TITLE)), properties, Optional.empty()),
                line -> System.out.println("cluster: " + line));
        System.out.print(cluster.topology());
        OrthancContent content = new OrthancContent(orthanc);
        check = new ClusterCheck(cluster.database(), content::segSopInstanceUidsByStudy);
        load = SeriesLoad.start(directory.resolve("load"), cluster.gatewayAes(), LOAD_EVERY, SIZE,
                line -> System.out.println("load: " + line));
        // the figure without a fault: a window of steady load, then the time until its series all have their SEGs
        Thread.sleep(FAULT.toMillis());
        recoverySeconds.put("no fault (reference)", verify("no fault", System.nanoTime()));
    }

    @AfterAll
    static void stop() throws Exception {
        try {
            if (load != null) {
                load.stopAndDrain(Duration.ofSeconds(120));
                ClusterCheck.Verdict all = check.await(load.sent(), RECOVERY_LIMIT);
                System.out.println("cluster faults: all series: " + all);
                recoverySeconds.forEach((fault, s) -> System.out.printf(
                        "cluster faults: %-40s all series sound %6.1f s after the fault ended%n", fault, s));
                assertThat(all.problems()).isEmpty();
            }
        } finally {
            if (cluster != null) cluster.close();
            if (orthanc != null) orthanc.close();
        }
    }

    @Test
    @Order(1)
    void aBrokerKilledAndBroughtBackLosesNothingAndDuplicatesNothing() throws Exception {
        String leader = "broker-" + jobsPartitionLeader();
        long t = System.nanoTime();
        cluster.node(leader).kill();
        Thread.sleep(FAULT.toMillis());
        cluster.node(leader).start();
        recoverySeconds.put("broker killed (" + leader + ", a jobs leader)", verify(leader + " killed", t));
    }

    @Test
    @Order(2)
    void aGatewayKilledHoldingAnAssociationLosesNothing() throws Exception {
        // 512x512 slices: the association lasts seconds, and the gateway is killed when its first rows are committed; 0.4 mm
        // pixels keep the model's resampled grid (2.5 mm) small, so that inference does not dominate the recovery time
        SeriesLoad.Series held = load.sendNow(new int[]{512, 512, 100}, new double[]{0.4, 0.4, 3.0}, 0);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        int stored = 0;
        while (stored < 10 && System.nanoTime() < deadline) {
            Thread.sleep(10);
            stored = Integer.parseInt(single("select count(*) from instances i join series s on s.id = i.series_id"
                    + " where s.series_instance_uid = ?", held.seriesInstanceUid()));
        }
        long t = System.nanoTime();
        cluster.node("gateway-1").kill();
        System.out.printf("cluster faults: gateway-1 killed with %d of %d instances of a series stored%n", stored,
                held.sopInstanceUids().size());
        assertThat(stored).as("killed in the middle of the association").isBetween(10, held.sopInstanceUids().size() - 1);
        Thread.sleep(FAULT.toMillis());
        cluster.node("gateway-1").start();
        recoverySeconds.put("gateway killed in an association", verify("gateway-1 killed", t));
        assertThat(held.complete()).as("the rest went to gateway-2: %s", held.problems()).isTrue();
    }

    @Test
    @Order(3)
    void aWorkerKilledRunningAJobIsReplacedAndTheJobEndsOnce() throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        String[] running = null;
        while (running == null && System.nanoTime() < deadline) {
            load.sendNow(new int[]{192, 192, 96}, new double[]{1.5, 1.5, 3.0}, 1);   // a job that runs for seconds
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while ((running = runningJob()) == null && System.nanoTime() < until) Thread.sleep(50);
        }
        assertThat(running).as("a worker took a job").isNotNull();
        String job = running[0], worker = running[1];
        long t = System.nanoTime();
        cluster.node(worker).kill();
        System.out.println("cluster faults: " + worker + " killed running job " + job);
        Thread.sleep(FAULT.toMillis());
        cluster.node(worker).start();
        recoverySeconds.put("worker killed running a job", verify(worker + " killed", t));
        assertThat(single("select state from jobs where id = ?::uuid", job)).isEqualTo("done");
        assertThat(single("select count(*) from results where job_id = ?::uuid", job)).isEqualTo("1");
    }

    @Test
    @Order(4)
    void postgresPausedFor20SecondsLosesNothing() throws Exception {
        long t = System.nanoTime();
        cluster.postgres().pause();
        try {
            Thread.sleep(POSTGRES_PAUSE.toMillis());
        } finally {
            cluster.postgres().resume();
        }
        recoverySeconds.put("PostgreSQL paused 20 s", verify("postgres paused", t));
    }

    @Test
    @Order(5)
    void aSpoolDiskBelowTheFloorRefusesAndLosesNothing() throws Exception {
        Path filler = directory.resolve("filler");
        int before = load.sent().size();
        long t = System.nanoTime();
        Process fallocate = new ProcessBuilder("fallocate", "-l", Long.toString(FILLER), filler.toString()).inheritIO().start();
        assertThat(fallocate.waitFor()).as("fallocate").isZero();
        try {
            Thread.sleep(FAULT.toMillis());
        } finally {
            Files.delete(filler);
        }
        List<SeriesLoad.Series> during = new ArrayList<>(load.sent().subList(before, load.sent().size()));
        assertThat(during).as("series sent while the disk was full").isNotEmpty();
        assertThat(during).as("refused while the disk was full").anySatisfy(s -> assertThat(s.problems()).isNotEmpty());
        recoverySeconds.put("spool disk below the floor", verify("spool full", t));
    }

    /**
     * Called when the fault that began at {@code began} has ended: waits until every series started so far (and one or
     * two started after the fault) is judged sound. Returns the seconds from the end of the fault to that moment.
     */
    private static double verify(String fault, long began) throws Exception {
        long ended = System.nanoTime();
        Thread.sleep(LOAD_EVERY.toMillis());
        List<SeriesLoad.Series> series = List.copyOf(load.sent());
        ClusterCheck.Verdict verdict = check.await(series, RECOVERY_LIMIT);
        long now = System.nanoTime();
        System.out.printf("cluster faults: %s: %s (%.1f s after the fault began, %.1f s after it ended)%n", fault, verdict,
                (now - began) / 1e9, (now - ended) / 1e9);
        assertThat(verdict.problems()).as(fault).isEmpty();
        return (now - ended) / 1e9;
    }

    private static int jobsPartitionLeader() throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", cluster.bootstrapServers()))) {
            return admin.describeTopics(List.of(Topics.JOBS)).allTopicNames().get().get(Topics.JOBS).partitions().getFirst().leader().id();
        }
    }

    /** A job in state running and the worker that started it last ({@code worker-N}), or null. */
    private static String[] runningJob() throws Exception {
        String row = single("""
                select j.id::text || ' ' || w.worker from jobs j cross join lateral (select a.details->>'worker' as worker
                  from audit_events a where a.event_type = 'job.started' and a.details->>'jobId' = j.id::text
                  order by a.id desc limit 1) w
                where j.state = 'running' and w.worker like ? limit 1""", "worker-%");
        return row == null ? null : row.split(" ");
    }

    private static String single(String sql, String parameter) throws Exception {
        try (Connection c = cluster.database().connect(); PreparedStatement s = c.prepareStatement(sql)) {
            s.setString(1, parameter);
            try (ResultSet r = s.executeQuery()) {
                return r.next() ? r.getString(1) : null;
            }
        }
    }

    private static int[] size(String text) {
        String[] p = text.split("x");
        return new int[]{Integer.parseInt(p[0]), Integer.parseInt(p[1]), Integer.parseInt(p[2])};
    }
}
