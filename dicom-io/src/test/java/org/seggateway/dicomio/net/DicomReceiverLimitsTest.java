package org.seggateway.dicomio.net;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.seggateway.dicomio.net.AssociationEvent.Type;
import org.seggateway.dicomio.synthetic.SyntheticSeries;
import org.seggateway.dicomio.testing.Dcmtk;
import org.seggateway.dicomio.testing.RawDicomPeer;
import org.seggateway.dicomio.testing.RawDicomPeer.Pdu;

/**
 * {@link DicomReceiver} under hostile and broken peers speaking raw PDUs: every bound in {@link ReceiverLimits} holds,
 * and the receiver keeps serving well-behaved peers (DCMTK {@code echoscu}) afterwards.
 */
class DicomReceiverLimitsTest {

    private static final Duration SHORT = Duration.ofSeconds(5);
    private static final byte[] MEBIBYTE = new byte[1 << 20];

    @TempDir
    static Path shared;
    static SyntheticSeries.Written series;

    @TempDir
    Path work;

    final List<AssociationEvent> events = new CopyOnWriteArrayList<>();
    final AtomicInteger handled = new AtomicInteger();

    @BeforeAll
    static void writeSeries() throws IOException {
        series = SyntheticSeries.ct().size(64, 64, 3).noise(10, 7).write(shared.resolve("ct"));
    }

    private ReceiverConfig config() {
        return ReceiverConfig.defaults("GATEWAY", work.resolve("incoming"));
    }

    private DicomReceiver start(ReceiverConfig config) throws IOException {
        return DicomReceiver.start(config, instance -> {
            handled.incrementAndGet();
            Files.delete(instance.file());
        }, events::add);
    }

    private static void assertEchoWorks(DicomReceiver scp) throws Exception {
        Dcmtk.Result echo = Dcmtk.echoscu("MODALITY", "GATEWAY", scp.port());
        assertThat(echo.exitCode()).as(echo.output()).isZero();
    }

    @Test
    void peerStreamingAfterARejectIsCutOffWithinTheDrainBoundsNotBuffered() throws Exception {
        try (DicomReceiver scp = start(config().withLimits(
                ReceiverLimits.defaults().withRejectDrain(8192, Duration.ofMillis(500))))) {
            try (RawDicomPeer peer = RawDicomPeer.connect(scp.port())) {
                peer.send(RawDicomPeer.associateRequest("NOTUS", "FLOODER"));
                long sent = 0;
                long until = System.nanoTime() + SHORT.toNanos();
                boolean cut = false;
                while (System.nanoTime() < until) {
                    try {
                        peer.send(MEBIBYTE);
                        sent += MEBIBYTE.length;
                    } catch (IOException e) {
                        cut = true;
                        break;
                    }
                }
                assertThat(cut).as("connection cut while the peer streamed (%d bytes sent)", sent).isTrue();
                // socket buffers hold a few MiB; unbounded reading would take everything for the whole 5 s
                assertThat(sent).isLessThan(64L << 20);
            }
            awaitEvent(Type.REJECTED);
            assertEchoWorks(scp);
        }
        assertThat(events.getFirst().detail()).contains("NOTUS");
    }

    @Test
    void associateRequestClaimingHugeLengthIsRejectedAfterReadingOnlyItsHeader() throws Exception {
        try (DicomReceiver scp = start(config())) {
            for (long claimed : new long[] {0xFFFF_FFF0L, 1L << 20, 64 * 1024 + 1}) {
                try (RawDicomPeer peer = RawDicomPeer.connect(scp.port())) {
                    peer.send(RawDicomPeer.pduHeader(0x01, claimed));
                    Pdu answer = peer.readPdu(SHORT);
                    assertThat(answer).as("answer to an A-ASSOCIATE-RQ claiming %d bytes", claimed).isNotNull();
                    assertThat(answer.isReject(1, 1, 1)).as("A-ASSOCIATE-RJ permanent, user, no reason").isTrue();
                    assertThat(peer.closedWithin(SHORT)).isTrue();
                }
            }
            assertEchoWorks(scp);
        }
        assertThat(events.stream().filter(e -> e.type() == Type.REJECTED))
                .hasSize(3).allSatisfy(e -> assertThat(e.detail()).contains("exceeds the limit of 65536"));
    }

    @Test
    void endlessCommandFragmentsAbortTheAssociationAtTheCommandLimit() throws Exception {
        try (DicomReceiver scp = start(config())) {
            try (RawDicomPeer peer = RawDicomPeer.connect(scp.port())) {
                peer.send(RawDicomPeer.associateRequest("GATEWAY", "ENDLESS"));
                assertThat(peer.readPdu(SHORT).isAssociateAccept()).isTrue();
                byte[] fragment = RawDicomPeer.pData(new byte[8000], true, false);
                long sent = 0;
                boolean cut = false;
                long until = System.nanoTime() + SHORT.toNanos();
                while (System.nanoTime() < until && !cut) {
                    try {
                        peer.send(fragment);
                        sent += fragment.length;
                    } catch (IOException e) {
                        cut = true;
                    }
                    if (sent > (4L << 20)) break;
                }
                assertThat(cut || peer.closedWithin(SHORT)).as("aborted after %d bytes of command", sent).isTrue();
            }
            awaitEvent(Type.ABORTED);
            assertEchoWorks(scp);
        }
        assertThat(events).filteredOn(e -> e.type() == Type.ABORTED).first()
                .satisfies(e -> assertThat(e.detail()).contains("command set exceeds the limit of 65536"));
    }

    @Test
    void pduClaimingMoreThanTheMaximumPduLengthAbortsWithoutAllocatingIt() throws Exception {
        try (DicomReceiver scp = start(config())) {
            try (RawDicomPeer peer = RawDicomPeer.connect(scp.port())) {
                peer.send(RawDicomPeer.associateRequest("GATEWAY", "HUGEPDU"));
                assertThat(peer.readPdu(SHORT).isAssociateAccept()).isTrue();
                peer.send(RawDicomPeer.pduHeader(0x04, 0x7FFF_FFF0L));
                assertThat(peer.closedWithin(SHORT)).isTrue();
            }
            awaitEvent(Type.ABORTED);
            assertEchoWorks(scp);
        }
        assertThat(events).filteredOn(e -> e.type() == Type.ABORTED).first()
                .satisfies(e -> assertThat(e.detail()).contains("exceeds the limit of 65536"));
    }

    @Test
    void halfOpenConnectionsCountAndBeyondTheCapGetRejectTransientLocalLimitExceeded() throws Exception {
        ReceiverLimits limits = ReceiverLimits.defaults().withAssociations(4, 16)
                .withAssociateRequest(64 * 1024, Duration.ofSeconds(2));
        try (DicomReceiver scp = start(config().withLimits(limits))) {
            List<RawDicomPeer> halfOpen = new ArrayList<>();
            try {
                for (int i = 0; i < 4; i++) halfOpen.add(RawDicomPeer.connect(scp.port()));
                awaitOpen(scp, 4);
                try (RawDicomPeer fifth = RawDicomPeer.connect(scp.port())) {
                    Pdu answer = fifth.readPdu(SHORT); // sent before we send anything
                    assertThat(answer).isNotNull();
                    assertThat(answer.isReject(2, 3, 2)).as("rejected-transient, provider (presentation), local limit")
                            .isTrue();
                    assertThat(fifth.closedWithin(SHORT)).isTrue();
                }
                assertThat(scp.refusedOverLimit()).isEqualTo(1);
                // the half-open ones are closed when their A-ASSOCIATE-RQ does not arrive in time
                for (RawDicomPeer p : halfOpen) assertThat(p.closedWithin(SHORT)).isTrue();
            } finally {
                halfOpen.forEach(RawDicomPeer::close);
            }
            awaitOpen(scp, 0);
            assertEchoWorks(scp);
        }
        assertThat(events).filteredOn(e -> e.type() == Type.ABORTED).hasSize(4)
                .allSatisfy(e -> assertThat(e.detail()).contains("A-ASSOCIATE-RQ not complete within PT2S"));
    }

    @Test
    void perAddressCapRefusesThatAddressOnlyAndOthersStillGetIn() throws Exception {
        try (DicomReceiver scp = start(config().withLimits(ReceiverLimits.defaults().withAssociations(64, 2)))) {
            try (RawDicomPeer a = RawDicomPeer.connect(scp.port());
                 RawDicomPeer b = RawDicomPeer.connect(scp.port())) {
                awaitOpen(scp, 2);
                try (RawDicomPeer third = RawDicomPeer.connect(scp.port())) {
                    assertThat(third.readPdu(SHORT).isReject(2, 3, 2)).isTrue();
                }
                try (RawDicomPeer other = RawDicomPeer.connect("127.0.0.1", scp.port(), "127.0.0.2")) {
                    other.send(RawDicomPeer.associateRequest("GATEWAY", "OTHERHOST"));
                    assertThat(other.readPdu(SHORT).isAssociateAccept()).isTrue();
                }
            }
        }
    }

    @Test
    void slowLorisAssociateRequestIsClosedAtItsTimeoutThoughEachByteArrivesWithinTheIdleTimeout() throws Exception {
        ReceiverLimits limits = ReceiverLimits.defaults().withAssociateRequest(64 * 1024, Duration.ofSeconds(1));
        try (DicomReceiver scp = start(config().withLimits(limits))) {
            byte[] rq = RawDicomPeer.associateRequest("GATEWAY", "LORIS");
            try (RawDicomPeer peer = RawDicomPeer.connect(scp.port())) {
                long t0 = System.nanoTime();
                boolean cut = false;
                for (int i = 0; i < rq.length - 1 && !cut; i++) {
                    try {
                        peer.send(new byte[] {rq[i]});
                    } catch (IOException e) {
                        cut = true;
                    }
                    if (!cut && peer.closedWithin(Duration.ofMillis(200))) cut = true;
                    if (System.nanoTime() - t0 > 6_000_000_000L) break;
                }
                assertThat(cut).isTrue();
                assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(4));
            }
            awaitEvent(Type.ABORTED);
        }
        assertThat(events.getFirst().detail()).contains("A-ASSOCIATE-RQ not complete within PT1S");
    }

    @Test
    void associationTrickingTheIdleTimeoutIsCutAtTheTotalTimeLimit() throws Exception {
        ReceiverLimits limits = ReceiverLimits.defaults().withMaxAssociationDuration(Duration.ofSeconds(1));
        try (DicomReceiver scp = start(config().withLimits(limits))) {
            try (RawDicomPeer peer = RawDicomPeer.connect(scp.port())) {
                peer.send(RawDicomPeer.associateRequest("GATEWAY", "TRICKLE"));
                assertThat(peer.readPdu(SHORT).isAssociateAccept()).isTrue();
                byte[] pdata = RawDicomPeer.pData(new byte[4000], false, false);
                long t0 = System.nanoTime();
                boolean cut = false;
                for (int i = 0; i < pdata.length && !cut; i++) {
                    try {
                        peer.send(new byte[] {pdata[i]});
                    } catch (IOException e) {
                        cut = true;
                    }
                    if (!cut && peer.closedWithin(Duration.ofMillis(200))) cut = true;
                    if (System.nanoTime() - t0 > 6_000_000_000L) break;
                }
                assertThat(cut).isTrue();
                assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(4));
            }
            awaitEvent(Type.ABORTED);
            assertEchoWorks(scp);
        }
        assertThat(events).filteredOn(e -> e.type() == Type.ABORTED).first()
                .satisfies(e -> assertThat(e.detail()).contains("time limit of PT1S"));
    }

    @Test
    void dataSetOverTheByteLimitGetsOutOfResourcesWithTheReasonAndNothingIsKept() throws Exception {
        try (DicomReceiver scp = start(config().withLimits(ReceiverLimits.defaults().withMaxDataSetBytes(4096)))) {
            StoreResult r = new DicomSender("MODALITY").store(new RemoteAe("127.0.0.1", scp.port(), "GATEWAY"),
                    series.files());
            assertThat(r.outcomes()).hasSize(series.files().size()).allSatisfy(o -> {
                assertThat(o.status()).isEqualTo(DimseStatus.OUT_OF_RESOURCES);
                assertThat(o.error()).isEqualTo("data set exceeds the limit of 4096 bytes");
            });
            assertEchoWorks(scp);
        }
        assertThat(handled).hasValue(0);
        assertThat(incomingFiles()).isEmpty();
        assertThat(events).extracting(AssociationEvent::type).contains(Type.RELEASED).doesNotContain(Type.ABORTED);
    }

    @Test
    void belowTheFreeDiskFloorCStoreGetsOutOfResourcesWithoutWritingAnything() throws Exception {
        ReceiverLimits limits = ReceiverLimits.defaults().withDiskFloor(Long.MAX_VALUE / 2, List.of(work));
        try (DicomReceiver scp = start(config().withLimits(limits))) {
            StoreResult r = new DicomSender("MODALITY").store(new RemoteAe("127.0.0.1", scp.port(), "GATEWAY"),
                    series.files());
            assertThat(r.outcomes()).hasSize(series.files().size()).allSatisfy(o -> {
                assertThat(o.status()).isEqualTo(DimseStatus.OUT_OF_RESOURCES);
                assertThat(o.error()).startsWith("disk space low: ").contains("MiB free, floor");
            });
        }
        assertThat(handled).hasValue(0);
        assertThat(incomingFiles()).isEmpty();
    }

    @Test
    void refusalByTheHandlerCarriesItsReasonInErrorComment() throws Exception {
        try (DicomReceiver scp = DicomReceiver.start(config(), instance -> {
            throw new StoreRefusedException(DimseStatus.CANNOT_UNDERSTAND, "Pixel Data missing");
        }, events::add)) {
            StoreResult r = new DicomSender("MODALITY").store(new RemoteAe("127.0.0.1", scp.port(), "GATEWAY"),
                    series.files().subList(0, 1));
            assertThat(r.outcomes()).singleElement().satisfies(o -> {
                assertThat(o.status()).isEqualTo(DimseStatus.CANNOT_UNDERSTAND);
                assertThat(o.error()).isEqualTo("Pixel Data missing");
            });
        }
    }

    @Test
    void callingAeWithAnAddressListMustComeFromOneOfItsAddresses() throws Exception {
        ReceiverConfig config = config().withCallerAddresses(Map.of(
                "CT01", List.of(AddressRange.parse("10.1.2.0/24"), AddressRange.parse("10.1.3.7")),
                "CT02", List.of(AddressRange.parse("127.0.0.0/8"))));
        try (DicomReceiver scp = start(config)) {
            Dcmtk.Result wrongPlace = Dcmtk.echoscu("CT01", "GATEWAY", scp.port());
            assertThat(wrongPlace.exitCode()).isNotZero();
            assertThat(wrongPlace.output()).containsIgnoringCase("Calling AE Title Not Recognized");
            assertThat(Dcmtk.echoscu("CT02", "GATEWAY", scp.port()).exitCode()).isZero();
            assertThat(Dcmtk.echoscu("UNLISTED", "GATEWAY", scp.port()).exitCode()).isZero();
            awaitEvent(Type.REJECTED);
        }
        assertThat(events).filteredOn(e -> e.type() == Type.REJECTED).singleElement()
                .satisfies(e -> assertThat(e.detail()).contains("'CT01' is not allowed from 127.0.0.1"));
    }

    @Test
    void addressRangesMatchCidrBlocksSingleAddressesAndMappedIpv4AndRefuseHostNames() throws Exception {
        AddressRange block = AddressRange.parse("10.1.2.0/24");
        assertThat(block.contains(InetAddress.ofLiteral("10.1.2.200"))).isTrue();
        assertThat(block.contains(InetAddress.ofLiteral("10.1.3.1"))).isFalse();
        assertThat(block.contains(InetAddress.ofLiteral("::ffff:10.1.2.9"))).isTrue();
        assertThat(AddressRange.parse("10.1.3.7").contains(InetAddress.ofLiteral("10.1.3.8"))).isFalse();
        assertThat(AddressRange.parse("fd00::/8").contains(InetAddress.ofLiteral("fd12::1"))).isTrue();
        assertThat(AddressRange.parse("10.1.2.77/20").toString()).isEqualTo("10.1.0.0/20");
        for (String bad : List.of("pacs.example.org", "10.1.2.0/33", "10.1.2.0/x", ""))
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> AddressRange.parse(bad))
                    .isInstanceOf(IllegalArgumentException.class);
    }

    private void awaitOpen(DicomReceiver scp, int count) throws InterruptedException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (scp.openConnections() != count && System.nanoTime() < deadline) Thread.sleep(10);
        assertThat(scp.openConnections()).as("open connections").isEqualTo(count);
    }

    private void awaitEvent(Type type) throws InterruptedException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (events.stream().noneMatch(e -> e.type() == type) && System.nanoTime() < deadline) Thread.sleep(10);
        assertThat(events).extracting(AssociationEvent::type).contains(type);
    }

    private List<Path> incomingFiles() throws IOException {
        try (Stream<Path> files = Files.list(work.resolve("incoming"))) {
            return files.toList();
        }
    }
}
