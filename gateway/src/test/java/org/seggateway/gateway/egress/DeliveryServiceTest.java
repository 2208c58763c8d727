package org.seggateway.gateway.egress;

import org.seggateway.audit.AuditChain;
import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.seggateway.dicomio.net.DicomReceiver;
import org.seggateway.dicomio.net.DimseStatus;
import org.seggateway.dicomio.net.ReceiverConfig;
import org.seggateway.dicomio.net.StoreRefusedException;
import org.seggateway.dicomio.synthetic.SyntheticSeries;
import org.seggateway.dicomio.testing.Dcmtk;
import org.seggateway.dicomio.testing.Part10;
import org.seggateway.dicomio.testing.PeerProcess;
import org.seggateway.gateway.NetworkTestProfile;
import org.seggateway.gateway.config.GatewayConfig;

@QuarkusTest
@TestProfile(NetworkTestProfile.class)
class DeliveryServiceTest {

    @Inject
    DeliveryService deliveries;
    @Inject
    DataSource dataSource;
    @Inject
    GatewayConfig config;
    @Inject
    MeterRegistry registry;
    @TempDir
    Path dir;

    /** A SEG stand-in: any valid Part 10 file is sent the same way. */
    private Path segFile;
    private String segSopInstanceUid;

    @BeforeEach
    void writeResultFileAndForgetOtherDeliveries() throws Exception {
        SyntheticSeries.Written w = SyntheticSeries.ct().size(32, 32, 1).write(dir.resolve("seg"));
        segFile = w.files().getFirst();
        segSopInstanceUid = w.sopInstanceUids().getFirst();
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            s.executeUpdate("delete from delivery_attempts");
            s.executeUpdate("delete from deliveries");
        }
    }

    @Test
    void retriesWithGrowingBackoffWhileTheDestinationIsDownThenDelivers() throws Exception {
        long id = insertDelivery("test-pacs", Instant.now());
        int port = config.destinations().get("test-pacs").port().orElseThrow();
        double failuresBefore = failures("test-pacs");
        Instant t1 = Instant.now().plus(Duration.ofHours(1)).truncatedTo(ChronoUnit.MICROS);

        DeliveryAttempt a1 = single(deliveries.deliverDue(t1), id);
        assertThat(a1.state()).isEqualTo(DeliveryState.PENDING);
        assertThat(a1.dicomStatus()).isNull();
        assertThat(a1.error()).contains("TESTPACS@127.0.0.1:" + port);
        assertThat(a1.nextAttemptAt()).isEqualTo(t1.plusSeconds(2));
        assertThat(deliveries.deliverDue(t1.plusSeconds(1))).as("not due before its backoff").isEmpty();
        Instant t2 = t1.plusSeconds(10), t3 = t2.plusSeconds(10);
        assertThat(single(deliveries.deliverDue(t2), id).nextAttemptAt()).isEqualTo(t2.plusSeconds(4));
        assertThat(single(deliveries.deliverDue(t3), id).nextAttemptAt()).as("capped at max-backoff").isEqualTo(t3.plusSeconds(5));
        assertThat(row(id)).isEqualTo(new Row("pending", 3, t3.plusSeconds(5), null));
        assertThat(attempts(id)).hasSize(3).allSatisfy(a -> assertThat(a).startsWith("null cannot associate"));

        Path received = dir.resolve("pacs");
        Files.createDirectories(received);
        try (PeerProcess storescp = PeerProcess.start("storescp", List.of("storescp", "-aet", "TESTPACS", "-od",
                received.toString(), Integer.toString(port)), Dcmtk.NODELAY, dir.resolve("storescp.log"))) {
            storescp.awaitPort(port, Duration.ofSeconds(20));
            Instant t4 = t3.plusSeconds(10);

            DeliveryAttempt a4 = single(deliveries.deliverDue(t4), id);

            assertThat(a4.state()).isEqualTo(DeliveryState.DELIVERED);
            assertThat(a4.dicomStatus()).isEqualTo(DimseStatus.SUCCESS);
            assertThat(row(id)).isEqualTo(new Row("delivered", 4, t3.plusSeconds(5), t4));
        }
        List<Path> arrived;
        try (Stream<Path> files = Files.list(received)) {
            arrived = files.toList();
        }
        assertThat(arrived).singleElement().satisfies(f -> {
            assertThat(f.getFileName().toString()).endsWith(segSopInstanceUid);
            assertThat(Part10.dataSet(f)).isEqualTo(Part10.dataSet(segFile));
        });
        assertThat(attempts(id)).hasSize(4).last().isEqualTo("0 null");
        assertThat(auditOutcomes(id)).containsExactly("retry", "retry", "retry", "delivered");
        assertThat(failures("test-pacs") - failuresBefore).isEqualTo(3);
        try (Connection c = dataSource.getConnection()) {
            assertThat(AuditChain.firstBrokenRow(c)).isEmpty();
        }
    }

    @Test
    void aResultsMeasurementReportGoesWithItsSegInTheSameDelivery() throws Exception {
        SyntheticSeries.Written report = SyntheticSeries.ct().size(16, 16, 1).write(dir.resolve("sr")); // an SR stand-in
        long id = insertDeliveryWithReport("test-pacs", report.files().getFirst());
        int port = config.destinations().get("test-pacs").port().orElseThrow();
        Path received = dir.resolve("pacs");
        Files.createDirectories(received);
        try (PeerProcess storescp = PeerProcess.start("storescp", List.of("storescp", "-aet", "TESTPACS", "-od",
                received.toString(), Integer.toString(port)), Dcmtk.NODELAY, dir.resolve("storescp.log"))) {
            storescp.awaitPort(port, Duration.ofSeconds(20));
            DeliveryAttempt attempt = single(deliveries.deliverDue(Instant.now().plusSeconds(1)), id);
            assertThat(attempt.state()).isEqualTo(DeliveryState.DELIVERED);
        }
        List<String> arrived;
        try (Stream<Path> files = Files.list(received)) {
            arrived = files.map(f -> f.getFileName().toString()).sorted().toList();
        }
        assertThat(arrived).hasSize(2).anyMatch(f -> f.endsWith(segSopInstanceUid))
                .anyMatch(f -> f.endsWith(report.sopInstanceUids().getFirst()));
        assertThat(attempts(id)).containsExactly("0 null");
    }

    @Test
    void aDestinationThatTakesNoMeasurementReportGetsTheSegAlone() throws Exception {
        SyntheticSeries.Written report = SyntheticSeries.mr().size(16, 16, 1).write(dir.resolve("sr")); // an SR stand-in
        long id = insertDeliveryWithReport("test-pacs", report.files().getFirst());
        // storescp with one presentation context, for the SEG stand-in's SOP class (CT); the report's (MR) is not negotiated
        Path profile = Files.writeString(dir.resolve("ct-only.cfg"), """
                [[TransferSyntaxes]]
                [Uncompressed]
                TransferSyntax1 = LocalEndianExplicit
                TransferSyntax2 = LittleEndianImplicit
                [[PresentationContexts]]
                [CtOnly]
                PresentationContext1 = 1.2.840.10008.5.1.4.1.1.2\\Uncompressed
                [[Profiles]]
                [CtOnly]
                PresentationContexts = CtOnly
                """);
        int port = config.destinations().get("test-pacs").port().orElseThrow();
        Path received = dir.resolve("pacs");
        Files.createDirectories(received);
        try (PeerProcess storescp = PeerProcess.start("storescp", List.of("storescp", "-aet", "TESTPACS", "-xf",
                profile.toString(), "CtOnly", "-od", received.toString(), Integer.toString(port)), Dcmtk.NODELAY,
                dir.resolve("storescp.log"))) {
            storescp.awaitPort(port, Duration.ofSeconds(20));
            DeliveryAttempt attempt = single(deliveries.deliverDue(Instant.now().plusSeconds(1)), id);
            assertThat(attempt.state()).as(attempt.toString()).isEqualTo(DeliveryState.DELIVERED);
        }
        try (Stream<Path> files = Files.list(received)) {
            assertThat(files.map(f -> f.getFileName().toString()).toList()).singleElement()
                    .satisfies(f -> assertThat(f).endsWith(segSopInstanceUid));
        }
    }

    /** A due delivery whose result has a measurement report file. */
    private long insertDeliveryWithReport(String destination, Path report) throws Exception {
        long id = insertDelivery(destination, Instant.now());
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(
                "update results set sr_path = ? where id = (select result_id from deliveries where id = ?)")) {
            s.setString(1, report.toString());
            s.setLong(2, id);
            s.executeUpdate();
        }
        return id;
    }

    @Test
    void aDestinationThatRefusesTheObjectItselfMarksTheDeliveryFailedAfterRepeatedRefusals() throws Exception {
        GatewayConfig.Destination refusing = config.destinations().get("refusing-pacs");
        ReceiverConfig scpConfig = ReceiverConfig.defaults("REFUSER", dir.resolve("refuser")).withPort(refusing.port().orElseThrow());
        try (DicomReceiver scp = DicomReceiver.start(scpConfig, instance -> {
            throw new StoreRefusedException(DimseStatus.DATA_SET_DOES_NOT_MATCH_SOP_CLASS, "not wanted here");
        }, null)) {
            long id = insertDelivery("refusing-pacs", Instant.now());
            Instant t = Instant.now().plus(Duration.ofHours(2)).truncatedTo(ChronoUnit.MICROS);

            DeliveryAttempt first = single(deliveries.deliverDue(t), id);
            DeliveryAttempt second = single(deliveries.deliverDue(t.plusSeconds(60)), id);

            assertThat(first.dicomStatus()).isEqualTo(0xA900);
            assertThat(first.state()).isEqualTo(DeliveryState.PENDING);
            assertThat(second.state()).isEqualTo(DeliveryState.FAILED);
            assertThat(second.nextAttemptAt()).isNull();
            assertThat(deliveries.deliverDue(t.plus(Duration.ofDays(1)))).as("failed is not retried").isEmpty();
            assertThat(row(id).state()).isEqualTo("failed");
            assertThat(row(id).attempts()).isEqualTo(2);
            assertThat(auditOutcomes(id)).containsExactly("retry", "failed");
        }
    }

    @Test
    void aLockedDeliveryIsLeftToItsHolderAndAnUnknownDestinationIsRetried() throws Exception {
        long locked = insertDelivery("test-pacs", Instant.now());
        long unknown = insertDelivery("nowhere", Instant.now());
        Instant t = Instant.now().plus(Duration.ofHours(3)).truncatedTo(ChronoUnit.MICROS);
        try (Connection other = dataSource.getConnection()) {
            other.setAutoCommit(false);
            try (Statement s = other.createStatement()) {
                s.executeQuery("select id from deliveries where id = " + locked + " for update").close();
            }

            List<DeliveryAttempt> attempts = deliveries.deliverDue(t);

            assertThat(attempts).extracting(DeliveryAttempt::deliveryId).containsExactly(unknown);
            assertThat(attempts.getFirst().error()).contains("'nowhere' is not configured");
            assertThat(attempts.getFirst().state()).isEqualTo(DeliveryState.PENDING);
            other.rollback();
        }
        assertThat(deliveries.deliverDue(t)).extracting(DeliveryAttempt::deliveryId).containsExactly(locked);
    }

    @Test
    void aClaimWhoseLeaseRanOutIsClaimedAgainAndALiveOneIsNot() throws Exception {
        // due in an hour: the scheduled pass (at the clock's now) leaves them alone
        long crashed = insertDelivery("nowhere", Instant.now().plus(Duration.ofHours(1)));
        long live = insertDelivery("nowhere", Instant.now().plus(Duration.ofHours(1)));
        UUID crashedClaim = claim(crashed, "clock_timestamp() - interval '1 second'");
        UUID liveClaim = claim(live, "clock_timestamp() + interval '1 hour'");
        Instant t = Instant.now().plus(Duration.ofHours(4)).truncatedTo(ChronoUnit.MICROS);

        List<DeliveryAttempt> attempts = deliveries.deliverDue(t);

        assertThat(attempts).extracting(DeliveryAttempt::deliveryId).containsExactly(crashed);
        assertThat(attempts(crashed)).hasSize(1);
        assertThat(claimedBy(crashed)).as("released after its outcome").isNull();
        assertThat(attempts(live)).isEmpty();
        assertThat(claimedBy(live)).isEqualTo(liveClaim).isNotEqualTo(crashedClaim);
    }

    @Test
    void noTransactionHoldsTheDeliveryWhileItsCStoreWaitsForAStalledPeer() throws Exception {
        GatewayConfig.Destination slow = config.destinations().get("refusing-pacs");
        CountDownLatch storing = new CountDownLatch(1);
        CountDownLatch answer = new CountDownLatch(1);
        ReceiverConfig scpConfig = ReceiverConfig.defaults("REFUSER", dir.resolve("stalled")).withPort(slow.port().orElseThrow());
        try (DicomReceiver scp = DicomReceiver.start(scpConfig, instance -> {
            storing.countDown();
            answer.await(30, TimeUnit.SECONDS);
        }, null)) {
            long id = insertDelivery("refusing-pacs", Instant.now().plus(Duration.ofHours(1)));
            Instant t = Instant.now().plus(Duration.ofHours(5)).truncatedTo(ChronoUnit.MICROS);
            CompletableFuture<List<DeliveryAttempt>> pass = CompletableFuture.supplyAsync(() -> deliveries.deliverDue(t));
            try {
                assertThat(storing.await(30, TimeUnit.SECONDS)).as("the C-STORE reached the peer").isTrue();
                try (Connection other = dataSource.getConnection()) {
                    other.setAutoCommit(false);
                    try (Statement s = other.createStatement()) {
                        // throws "could not obtain lock" if any transaction held the row
                        s.executeQuery("select id from deliveries where id = " + id + " for update nowait").close();
                        try (ResultSet rs = s.executeQuery("""
                                select count(*) from pg_stat_activity
                                where datname = current_database() and pid <> pg_backend_pid() and state like 'idle in transaction%'""")) {
                            rs.next();
                            assertThat(rs.getInt(1)).as("sessions idle in a transaction while the C-STORE waits").isZero();
                        }
                    }
                    other.rollback();
                }
                assertThat(claimedBy(id)).as("claimed while the C-STORE runs").isNotNull();
            } finally {
                answer.countDown();
            }
            assertThat(single(pass.get(60, TimeUnit.SECONDS), id).state()).isEqualTo(DeliveryState.DELIVERED);
            assertThat(claimedBy(id)).isNull();
        }
    }

    @Test
    void backoffGrowsByTheFactorUpToTheMaximum() {
        Backoff b = new Backoff(Duration.ofSeconds(5), 2, Duration.ofMinutes(10));
        assertThat(List.of(1, 2, 3, 7, 8, 10_000)).extracting(b::after).containsExactly(Duration.ofSeconds(5),
                Duration.ofSeconds(10), Duration.ofSeconds(20), Duration.ofSeconds(320), Duration.ofMinutes(10),
                Duration.ofMinutes(10));
    }

    record Row(String state, int attempts, Instant nextAttemptAt, Instant deliveredAt) {}

    private static DeliveryAttempt single(List<DeliveryAttempt> attempts, long id) {
        assertThat(attempts).extracting(DeliveryAttempt::deliveryId).containsExactly(id);
        return attempts.getFirst();
    }

    /** A series, a done job and its result pointing at the SEG file, and one pending delivery due at {@code due}. */
    private long insertDelivery(String destination, Instant due) throws Exception {
        return TestDeliveries.insert(dataSource, destination, due, segFile);
    }

    /** Claims a delivery as a sender would, with the lease running out at {@code until} (SQL); returns the claim's id. */
    private UUID claim(long id, String until) throws Exception {
        UUID claim = UUID.randomUUID();
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(
                "update deliveries set claimed_by = ?, claimed_until = " + until + " where id = ?")) {
            s.setObject(1, claim);
            s.setLong(2, id);
            assertThat(s.executeUpdate()).isEqualTo(1);
        }
        return claim;
    }

    private UUID claimedBy(long id) throws Exception {
        try (Connection c = dataSource.getConnection();
             PreparedStatement s = c.prepareStatement("select claimed_by from deliveries where id = ?")) {
            s.setLong(1, id);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getObject(1, UUID.class);
            }
        }
    }

    private Row row(long id) throws Exception {
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(
                "select state, attempts, next_attempt_at, delivered_at, last_error from deliveries where id = ?")) {
            s.setLong(1, id);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                if (rs.getString(1).equals("pending")) assertThat(rs.getString(5)).isNotBlank();
                Timestamp delivered = rs.getTimestamp(4);
                return new Row(rs.getString(1), rs.getInt(2), rs.getTimestamp(3).toInstant(),
                        delivered == null ? null : delivered.toInstant());
            }
        }
    }

    /** "status error" per attempt, in order. */
    private List<String> attempts(long id) throws Exception {
        List<String> out = new ArrayList<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(
                "select dicom_status, error from delivery_attempts where delivery_id = ? order by id")) {
            s.setLong(1, id);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) out.add(rs.getObject(1) + " " + rs.getString(2));
            }
        }
        return out;
    }

    private List<String> auditOutcomes(long deliveryId) throws Exception {
        List<String> out = new ArrayList<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement("""
                select outcome from audit_events where event_type = 'delivery' and (details ->> 'deliveryId')::bigint = ?
                order by id""")) {
            s.setLong(1, deliveryId);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) out.add(rs.getString(1));
            }
        }
        return out;
    }

    private double failures(String destination) {
        Counter c = registry.find("seggateway.delivery.failures").tag("destination", destination).counter();
        return c == null ? 0 : c.count();
    }
}
