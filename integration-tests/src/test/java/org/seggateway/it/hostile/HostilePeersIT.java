package org.seggateway.it.hostile;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.seggateway.dicomio.synthetic.SyntheticSeries;
import org.seggateway.dicomio.testing.Dcmtk;
import org.seggateway.dicomio.testing.RawDicomPeer;
import org.seggateway.dicomio.testing.RawDicomPeer.Pdu;
import org.seggateway.inference.worker.InferenceWorker;
import org.seggateway.inference.worker.WorkerSettings;
import org.seggateway.it.pipeline.Pipeline;
import org.seggateway.it.pipeline.PipelineDatabase;
import org.seggateway.it.pipeline.ThresholdRunner;

/**
 * Hostile peers against the packaged gateway with a 256 MiB heap: reject flood, A-ASSOCIATE-RQ flood with huge
 * claimed lengths, thousands of half-open connections, oversized and endless DIMSE commands, slow-loris
 * associations. After each the gateway still answers C-ECHO ({@code echoscu}) and {@code /q/health}; at the end a
 * normal series from {@code storescu} is stored and processed into a SEG at the PACS. The gateway's peak heap and
 * most open DICOM connections during each flood, and the answers the peers got, are printed (and written to
 * {@code hostile-figures.md} in the test's folder).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class HostilePeersIT {
    static final String HEAP = "256m";
    static final Duration RQ_TIMEOUT = Duration.ofSeconds(3);
    static final Duration ASSOCIATION_LIMIT = Duration.ofSeconds(8);
    static final Duration WAIT = Duration.ofSeconds(5);

    static Path directory;
    static Pipeline pipeline;
    static final List<String> figures = new ArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        directory = Pipeline.workDirectory(HostilePeersIT.class);
        pipeline = Pipeline.start(directory, Duration.ofSeconds(2), Map.of(
                        "seg-gateway.scp.limits.associate-request-timeout", RQ_TIMEOUT.toSeconds() + "s",
                        "seg-gateway.scp.limits.max-association-duration", ASSOCIATION_LIMIT.toSeconds() + "s"),
                List.of(), HEAP);
    }

    @AfterAll
    static void stop() throws Exception {
        String table = "| flood | cases | answers | peak heap (MiB, -Xmx" + HEAP + ") | peak open connections |\n"
                + "| --- | --- | --- | --- | --- |\n"
                + String.join("\n", figures) + "\n";
        System.out.println("Hostile-peer figures:\n" + table);
        if (directory != null) Files.writeString(directory.resolve("hostile-figures.md"), table);
        if (pipeline != null) {
            String log = Files.readString(pipeline.gateway().log());
            pipeline.close();
            assertThat(log).doesNotContain("OutOfMemoryError");
        }
    }

    @Test
    @Order(1)
    void rejectFloodStreamingMebibytesAfterTheRejectIsCutOff() throws Exception {
        int peers = 16;
        Map<String, Integer> answers = new TreeMap<>();
        long streamedMax;
        try (GatewaySampler heap = new GatewaySampler(pipeline.gateway())) {
            List<long[]> results = parallel(peers, i -> {
                try (RawDicomPeer peer = RawDicomPeer.connect(pipeline.scpPort())) {
                    peer.send(RawDicomPeer.associateRequest("NOTTHEGATEWAY", "FLOOD" + i));
                    count(answers, describe(peer.readPdu(WAIT)));
                    byte[] block = new byte[1 << 20];
                    long sent = 0, until = System.nanoTime() + 15_000_000_000L;
                    while (System.nanoTime() < until) {
                        try {
                            peer.send(block);
                            sent += block.length;
                        } catch (IOException cut) {
                            return new long[] {sent, 1};
                        }
                    }
                    return new long[] {sent, 0};
                }
            });
            assertThat(results).allSatisfy(r -> assertThat(r[1]).as("cut off while streaming").isEqualTo(1));
            streamedMax = results.stream().mapToLong(r -> r[0]).max().orElse(0);
            assertThat(streamedMax).isLessThan(64L << 20);
            record("reject flood: wrong called AE, then 1 MiB blocks until cut", peers + " peers", answers
                    + ", each cut after at most " + (streamedMax >> 20) + " MiB sent", heap);
        }
        assertThat(answers.keySet()).isSubsetOf("RJ permanent/user/called-AE (1/1/7)",
                "RJ transient/provider/local-limit (2/3/2)");
        assertStillServing();
    }

    @Test
    @Order(2)
    void associateRequestFloodWithHugeClaimedLengthsIsRejected() throws Exception {
        int peers = 400;
        Map<String, Integer> answers = new TreeMap<>();
        try (GatewaySampler heap = new GatewaySampler(pipeline.gateway())) {
            parallel(8, t -> {
                for (int i = 0; i < peers / 8; i++) {
                    long claimed = ThreadLocalRandom.current().nextLong(64 * 1024 + 1, 0x1_0000_0000L);
                    try (RawDicomPeer peer = RawDicomPeer.connect(pipeline.scpPort())) {
                        peer.send(RawDicomPeer.pduHeader(0x01, claimed));
                        peer.send(new byte[4096]);
                        count(answers, describe(peer.readPdu(WAIT)));
                    }
                }
                return null;
            });
            record("A-ASSOCIATE-RQ claiming 64 KiB..4 GiB", peers + " connections", answers.toString(), heap);
        }
        assertThat(answers.values().stream().mapToInt(Integer::intValue).sum()).isEqualTo(peers);
        assertThat(answers).containsKey("RJ permanent/user/no-reason (1/1/1)")
                .doesNotContainKey("closed without an answer");
        assertStillServing();
    }

    @Test
    @Order(3)
    void thousandsOfHalfOpenConnectionsAreCappedAndTimedOut() throws Exception {
        int connections = 2000, addresses = 20;
        Map<String, Integer> answers = new TreeMap<>();
        List<RawDicomPeer> held = new ArrayList<>();
        List<RawDicomPeer> all = new ArrayList<>();
        try (GatewaySampler heap = new GatewaySampler(pipeline.gateway())) {
            try {
                for (int i = 0; i < connections; i++)
                    all.add(RawDicomPeer.connect("127.0.0.1", pipeline.scpPort(), "127.0.0." + (2 + i % addresses)));
                Thread.sleep(500);
                List<RawDicomPeer> unanswered = new ArrayList<>();
                for (RawDicomPeer peer : all) {
                    Pdu answer = peer.readPdu(Duration.ofMillis(30));
                    if (answer == null && !peer.socket().isClosed() && !peer.closedWithin(Duration.ofMillis(1))) {
                        unanswered.add(peer);
                    } else {
                        count(answers, describe(answer));
                    }
                }
                // a connection still in the listen backlog of a busy gateway is unanswered too, but not held: it gets
                // its answer once accepted, well before the A-ASSOCIATE-RQ timeout closes the held ones
                Thread.sleep(300);
                for (RawDicomPeer peer : unanswered) {
                    Pdu late = peer.readPdu(Duration.ofMillis(1));
                    if (late == null && !peer.closedWithin(Duration.ofMillis(1))) {
                        held.add(peer);
                        count(answers, "held open by the gateway (half-open)");
                    } else {
                        count(answers, describe(late));
                    }
                }
                assertThat(held.size()).as("half-open connections held").isLessThanOrEqualTo(64);
                long closedByGateway = 0;
                for (RawDicomPeer peer : held) if (peer.closedWithin(RQ_TIMEOUT.plus(WAIT))) closedByGateway++;
                assertThat(closedByGateway).as("held connections closed at the A-ASSOCIATE-RQ timeout")
                        .isEqualTo(held.size());
                record("half-open connections (connect, send nothing) from " + addresses + " addresses",
                        connections + " connections", answers + "; the held ones closed by the gateway after "
                                + RQ_TIMEOUT.toSeconds() + " s", heap);
            } finally {
                all.forEach(RawDicomPeer::close);
            }
        }
        assertThat(answers).containsKey("RJ transient/provider/local-limit (2/3/2)");
        assertStillServing();
    }

    @Test
    @Order(4)
    void oversizedAndEndlessDimseCommandsAbortTheirAssociationOnly() throws Exception {
        Map<String, Integer> answers = new TreeMap<>();
        long[] largestSent = new long[1];
        try (GatewaySampler heap = new GatewaySampler(pipeline.gateway())) {
            parallel(12, i -> {
                try (RawDicomPeer peer = RawDicomPeer.connect(pipeline.scpPort())) {
                    peer.send(RawDicomPeer.associateRequest(Pipeline.GATEWAY_AE, "CMD" + i));
                    Pdu accept = peer.readPdu(WAIT);
                    assertThat(accept).isNotNull();
                    assertThat(accept.isAssociateAccept()).isTrue();
                    long sent = 0;
                    try {
                        switch (i % 3) {
                            case 0 -> { // endless command fragments
                                byte[] fragment = RawDicomPeer.pData(new byte[16000], true, false);
                                while (sent < (256L << 20)) {
                                    peer.send(fragment);
                                    sent += fragment.length;
                                }
                            }
                            case 1 -> { // one 1 MiB command in 16 KB fragments, last one flagged
                                for (int f = 0; f < 64; f++) {
                                    peer.send(RawDicomPeer.pData(new byte[16384], true, f == 63));
                                    sent += 16384;
                                }
                            }
                            default -> { // a P-DATA PDU claiming 2 GiB
                                peer.send(RawDicomPeer.pduHeader(0x04, 0x7FFF_FFF0L));
                                peer.send(new byte[8192]);
                                sent = 8192;
                            }
                        }
                    } catch (IOException cut) {
                        // the gateway aborted while we sent
                    }
                    synchronized (largestSent) {
                        largestSent[0] = Math.max(largestSent[0], sent);
                    }
                    Pdu next = peer.readPdu(WAIT);
                    boolean closed = peer.closedWithin(WAIT);
                    count(answers, (next != null && next.type() == 0x07 ? "A-ABORT" : "connection closed")
                            + (closed ? "" : " (then left open!)"));
                }
                return null;
            });
            record("oversized (1 MiB) and endless DIMSE commands, P-DATA claiming 2 GiB", "12 associations",
                    answers + ", at most " + (largestSent[0] >> 20) + " MiB sent before the cut", heap);
        }
        assertThat(answers.keySet()).allSatisfy(k -> assertThat(k).doesNotContain("left open"));
        assertThat(largestSent[0]).isLessThan(64L << 20);
        assertStillServing();
    }

    @Test
    @Order(5)
    void slowLorisAssociationsAreCutAtTheirTimeLimits() throws Exception {
        Map<String, Integer> answers = new TreeMap<>();
        try (GatewaySampler heap = new GatewaySampler(pipeline.gateway())) {
            List<long[]> cuts = parallel(20, i -> {
                boolean inAssociation = i % 2 == 1;
                try (RawDicomPeer peer = RawDicomPeer.connect("127.0.0.1", pipeline.scpPort(), "127.0.0." + (40 + i))) {
                    byte[] trickle;
                    if (inAssociation) {
                        peer.send(RawDicomPeer.associateRequest(Pipeline.GATEWAY_AE, "LORIS" + i));
                        assertThat(peer.readPdu(WAIT).isAssociateAccept()).isTrue();
                        trickle = RawDicomPeer.pData(new byte[4000], false, false);
                    } else {
                        trickle = RawDicomPeer.associateRequest(Pipeline.GATEWAY_AE, "LORIS" + i);
                    }
                    long t0 = System.nanoTime();
                    for (int b = 0; b < trickle.length - 1; b++) {
                        try {
                            peer.send(new byte[] {trickle[b]});
                        } catch (IOException cut) {
                            break;
                        }
                        if (peer.closedWithin(Duration.ofMillis(500))) break;
                        if (System.nanoTime() - t0 > 30_000_000_000L) break;
                    }
                    long millis = (System.nanoTime() - t0) / 1_000_000;
                    count(answers, (inAssociation ? "trickling P-DATA: cut at association limit"
                            : "trickling A-ASSOCIATE-RQ: cut at RQ timeout"));
                    return new long[] {inAssociation ? 1 : 0, millis};
                }
            });
            long rqCut = cuts.stream().filter(c -> c[0] == 0).mapToLong(c -> c[1]).max().orElse(0);
            long associationCut = cuts.stream().filter(c -> c[0] == 1).mapToLong(c -> c[1]).max().orElse(0);
            assertThat(Duration.ofMillis(rqCut)).isLessThan(RQ_TIMEOUT.plusSeconds(3));
            assertThat(Duration.ofMillis(associationCut)).isLessThan(ASSOCIATION_LIMIT.plusSeconds(3));
            record("slow-loris: one byte per 500 ms (under the 60 s idle timeout)", "20 connections", answers
                    + "; RQ cut within " + rqCut + " ms, associations within " + associationCut + " ms", heap);
        }
        assertStillServing();
    }

    @Test
    @Order(6)
    void aNormalSeriesAfterTheFloodsIsStoredAndProcessed() throws Exception {
        SyntheticSeries.Written ct = SyntheticSeries.ct().size(64, 64, 20).noise(5, 3).write(directory.resolve("ct"));
        PipelineDatabase db = pipeline.database();
        try (InferenceWorker worker = new InferenceWorker(
                WorkerSettings.defaults(pipeline.broker().bootstrapServers(), "it-hostile"), new ThresholdRunner(0))) {
            Thread thread = Thread.ofPlatform().name("it-hostile-worker").start(worker);
            try {
                Dcmtk.Result sent = pipeline.storescu(ct.files());
                assertThat(sent.exitCode()).as(sent.output()).isZero();
                assertThat(db.scalar("select count(*) from instances i join series s on s.id = i.series_id"
                        + " where s.series_instance_uid = ?", ct.seriesInstanceUid())).isEqualTo("20");
                PipelineDatabase.Job job = db.awaitJob(ct.seriesInstanceUid(), "done", Duration.ofSeconds(120));
                db.awaitDeliveries(job.id(), "delivered", Duration.ofSeconds(60));
            } finally {
                worker.close();
                thread.join(10_000);
            }
        }
        assertThat(pipeline.gateway().isAlive()).isTrue();
    }

    private static void assertStillServing() throws Exception {
        assertThat(pipeline.gateway().isAlive()).as("gateway process alive").isTrue();
        // the flood's last connections may still hold a slot for a moment after the peers closed them
        long deadline = System.nanoTime() + WAIT.toNanos();
        Dcmtk.Result echo = Dcmtk.echoscu(Pipeline.MODALITY_AE, Pipeline.GATEWAY_AE, pipeline.scpPort());
        while (echo.exitCode() != 0 && System.nanoTime() < deadline) {
            Thread.sleep(250);
            echo = Dcmtk.echoscu(Pipeline.MODALITY_AE, Pipeline.GATEWAY_AE, pipeline.scpPort());
        }
        assertThat(echo.exitCode()).as(echo.output()).isZero();
        assertThat(pipeline.gateway().get("/q/health")).containsPattern("\"status\"\\s*:\\s*\"UP\"");
    }

    private static String describe(Pdu pdu) {
        if (pdu == null) return "closed without an answer";
        if (pdu.isReject(1, 1, 7)) return "RJ permanent/user/called-AE (1/1/7)";
        if (pdu.isReject(1, 1, 1)) return "RJ permanent/user/no-reason (1/1/1)";
        if (pdu.isReject(2, 3, 2)) return "RJ transient/provider/local-limit (2/3/2)";
        return String.format("PDU type 0x%02X", pdu.type());
    }

    private static void count(Map<String, Integer> answers, String answer) {
        synchronized (answers) {
            answers.merge(answer, 1, Integer::sum);
        }
    }

    private static void record(String flood, String cases, String answers, GatewaySampler heap) throws Exception {
        heap.close();
        figures.add("| " + flood + " | " + cases + " | " + answers + " | " + heap.peakMebibytes() + " | "
                + heap.peakOpenConnections() + " |");
        assertThat(heap.peakOpenConnections()).as("connections the gateway held at once").isLessThanOrEqualTo(64);
    }

    private interface Peer<T> {
        T run(int index) throws Exception;
    }

    private static <T> List<T> parallel(int n, Peer<T> peer) throws Exception {
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<T>> futures = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                int index = i;
                futures.add(pool.submit((Callable<T>) () -> peer.run(index)));
            }
            List<T> results = new ArrayList<>();
            for (Future<T> f : futures) results.add(f.get());
            return results;
        }
    }
}
