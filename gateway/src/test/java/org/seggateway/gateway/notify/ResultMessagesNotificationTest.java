package org.seggateway.gateway.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import ca.uhn.hl7v2.model.v251.message.ORU_R01;
import ca.uhn.hl7v2.util.Terser;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import javax.sql.DataSource;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Observation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.seggateway.audit.AuditChain;
import org.seggateway.dicomio.synthetic.SyntheticSeries;
import org.seggateway.dicomio.testing.Dcmtk;
import org.seggateway.dicomio.testing.PeerProcess;
import org.seggateway.gateway.config.GatewayConfig;
import org.seggateway.gateway.database.Transactions;
import org.seggateway.gateway.egress.DeliveryService;
import org.seggateway.gateway.notify.fhir.FhirReceiver;
import org.seggateway.gateway.notify.fhir.FhirResultBundle;
import org.seggateway.gateway.notify.fhir.FhirValidation;
import org.seggateway.gateway.notify.hl7.MllpRis;
import org.seggateway.gateway.worklist.FinishedStudies;

/**
 * A result in the database reaches the RIS and the EHR in their own languages: a series goes through the pipeline to a
 * SEG delivered to DCMTK storescp; its ORU^R01 goes over MLLP to real listeners (one answering AR, then closing without
 * answer, then AA; one answering AE; one port where nothing listens) and its FHIR bundle to the JDK's HTTP server, all
 * retried with the notification backoff until acknowledged, refused or given up, and audited; PostgreSQL is real.
 */
@QuarkusTest
@TestProfile(ResultMessagesTestProfile.class)
class ResultMessagesNotificationTest {
    @Inject
    FinishedStudies studies;
    @Inject
    DeliveryService deliveries;
    @Inject
    NotificationSender sender;
    @Inject
    ResultNotifications resultNotifications;
    @Inject
    Transactions transactions;
    @Inject
    DataSource dataSource;
    @Inject
    GatewayConfig config;
    @TempDir
    Path dir;

    record Row(String channel, String receiver, String state, int attempts, Integer httpStatus, String ackCode,
               String lastError, long resultId) {}

    @Test
    void aDeliveredResultIsToldOnceToEachReceiverRetriedUntilAcknowledgedOrGivenUp() throws Exception {
        String accession = "H" + UUID.randomUUID().toString().substring(0, 8);
        SyntheticSeries.Written ct = studies.create(dir.resolve("ct"), accession, "P-H1");
        long delivered = deliveryId(ct);
        Instant t = Instant.now().plus(Duration.ofHours(1)).truncatedTo(ChronoUnit.MICROS);
        try (PeerProcess pacs = storescp()) {
            deliveries.deliverDue(t);
        }
        assertThat(query("select state from deliveries where id = " + delivered)).isEqualTo("delivered");
        long resultId = Long.parseLong(query("select result_id from deliveries where id = " + delivered));

        assertThat(rows(delivered)).as("written with the delivery's change, one per receiver")
                .extracting(Row::channel, Row::receiver, Row::state, Row::attempts, Row::resultId)
                .containsExactly(tuple("fhir", "ehr", "pending", 0, resultId), tuple("hl7", "down", "pending", 0, resultId),
                        tuple("hl7", "ris", "pending", 0, resultId), tuple("hl7", "strict-ris", "pending", 0, resultId));
        int again = transactions.inTransaction(h -> resultNotifications.resultDelivered(h, delivered, t.plusSeconds(1)));
        assertThat(again).as("a result already told is not told again").isZero();
        assertThat(rows(delivered)).hasSize(4);

        Instant s = t.plusSeconds(120).truncatedTo(ChronoUnit.MICROS);
        int ehrPort = config.fhir().get("ehr").url().getPort();
        try (MllpRis ris = new MllpRis(config.hl7().get("ris").port(), n -> switch (n) {
                case 1 -> MllpRis.Reply.AR;
                case 2 -> MllpRis.Reply.CLOSE;
                default -> MllpRis.Reply.AA;
            });
             MllpRis strict = new MllpRis(config.hl7().get("strict-ris").port(), n -> MllpRis.Reply.AE);
             FhirReceiver ehr = new FhirReceiver(ehrPort, ResultMessagesTestProfile.EHR_TOKEN, n -> 200)) {
            assertThat(mine(sender.sendDue(s), delivered)).extracting(NotificationAttempt::webhook, NotificationAttempt::state,
                            NotificationAttempt::ackCode, NotificationAttempt::httpStatus)
                    .containsExactlyInAnyOrder(tuple("ris", NotificationState.PENDING, "AR", null),
                            tuple("strict-ris", NotificationState.FAILED, "AE", null),
                            tuple("down", NotificationState.PENDING, null, null),
                            tuple("ehr", NotificationState.SENT, null, 200));
            assertThat(mine(sender.sendDue(s.plusMillis(500)), delivered)).as("not due before its backoff").isEmpty();
            assertThat(mine(sender.sendDue(s.plusSeconds(10)), delivered)).extracting(NotificationAttempt::webhook,
                    NotificationAttempt::state).containsExactlyInAnyOrder(tuple("ris", NotificationState.PENDING),
                    tuple("down", NotificationState.PENDING));
            assertThat(mine(sender.sendDue(s.plusSeconds(20)), delivered)).extracting(NotificationAttempt::webhook,
                    NotificationAttempt::state, NotificationAttempt::attempt).containsExactlyInAnyOrder(
                    tuple("ris", NotificationState.SENT, 3), tuple("down", NotificationState.FAILED, 3));
            assertThat(mine(sender.sendDue(s.plus(Duration.ofDays(1))), delivered)).as("sent and failed are final").isEmpty();

            List<Row> rows = rows(delivered);
            assertThat(rows).extracting(Row::receiver, Row::state, Row::attempts, Row::httpStatus, Row::ackCode).containsExactly(
                    tuple("ehr", "sent", 1, 200, null), tuple("down", "failed", 3, null, null), tuple("ris", "sent", 3, null, "AA"),
                    tuple("strict-ris", "failed", 1, null, "AE"));
            assertThat(rows.get(1).lastError()).startsWith("gave up after 3 attempts (max-attempts 3): cannot connect to 127.0.0.1:"
                    + config.hl7().get("down").port());
            assertThat(rows.get(3).lastError()).isEqualTo(
                    "refused, not retried: application error AE: Unknown patient identifier; Application internal error (207)");

            List<MllpRis.Received> got = ris.received();
            assertThat(got).hasSize(3).allSatisfy(r -> {
                assertThat(r.parseError()).isNull();
                assertThat(r.er7()).as("the same message each attempt").isEqualTo(got.getFirst().er7());
            });
            assertThat(strict.received()).hasSize(1);
            ORU_R01 oru = (ORU_R01) got.getFirst().message();
            Terser terser = new Terser(oru);
            assertThat(terser.get("/MSH-10")).isEqualTo("SEGGW" + resultId + ".1");
            assertThat(terser.get("/MSH-5")).isEqualTo("RADIS");
            assertThat(terser.get("/MSH-6")).isEqualTo("NORTH");
            assertThat(oru.getPATIENT_RESULT().getPATIENT().getPID().encode()).isEqualTo("PID|1||P-H1");
            assertThat(got.getFirst().er7()).doesNotContain("Finished");
            assertThat(terser.get("/.ORC-3")).isEqualTo(accession);
            assertThat(terser.get("/.OBR-3")).isEqualTo(accession);
            assertThat(terser.get("/.OBR-4-1")).isEqualTo("test-threshold");
            assertThat(terser.get("/.OBSERVATION(0)/OBX-5-1")).isEqualTo("10200004");
            assertThat(terser.get("/.OBSERVATION(1)/OBX-3-1")).isEqualTo("118565006");
            assertThat(new BigDecimal(terser.get("/.OBSERVATION(1)/OBX-5"))).isEqualByComparingTo(
                    new BigDecimal(result(ct, "segment_statistics->0->>'volumeMl'")).setScale(3, RoundingMode.HALF_EVEN));
            assertThat(terser.get("/.OBSERVATION(2)/OBX-5")).isEqualTo(result(ct, "segment_statistics->0->>'voxelCount'"));
            int last = oru.getPATIENT_RESULT().getORDER_OBSERVATION().getOBSERVATIONReps() - 1;
            assertThat(terser.get("/.OBSERVATION(" + last + ")/OBX-5-1")).isEqualTo(result(ct, "seg_sop_instance_uid"));
            assertThat(terser.get("/.OBSERVATION(" + (last - 1) + ")/OBX-5")).isEqualTo(result(ct, "seg_series_instance_uid"));
            assertThat(terser.get("/.OBSERVATION(" + (last - 2) + ")/OBX-5")).isEqualTo(ct.studyInstanceUid());

            assertThat(ehr.requests()).hasSize(1);
            FhirReceiver.Request post = ehr.requests().getFirst();
            assertThat(post.authorization()).isEqualTo("Bearer " + ResultMessagesTestProfile.EHR_TOKEN);
            assertThat(FhirValidation.errors(post.body())).as("validation errors").isEmpty();
            Bundle bundle = FhirResultBundle.fhir().newJsonParser().parseResource(Bundle.class, post.body());
            assertThat(bundle.getEntry().getFirst().getRequest().getIfNoneExist())
                    .isEqualTo("identifier=urn:dicom:uid|urn:oid:" + ct.studyInstanceUid());
            Observation volume = (Observation) bundle.getEntry().get(1).getResource();
            assertThat(volume.getSubject().getIdentifier().getValue()).isEqualTo("P-H1");
            assertThat(volume.getValueQuantity().getCode()).isEqualTo("mL");
            assertThat(post.body()).doesNotContain("Finished");
        }

        assertThat(audit(delivered)).containsExactlyInAnyOrder(
                "notification.sent sent fhir ehr null 1",
                "notification.failed failed hl7 down null 3",
                "notification.sent sent hl7 ris AA 3",
                "notification.failed failed hl7 strict-ris AE 1");
        assertThat(auditDetails(delivered)).allSatisfy(d -> assertThat(d).doesNotContain("P-H1").doesNotContain(accession)
                .doesNotContain(ResultMessagesTestProfile.EHR_TOKEN));
        try (Connection c = dataSource.getConnection()) {
            assertThat(AuditChain.firstBrokenRow(c)).isEmpty();
        }
        assertThat(query("select state from deliveries where id = " + delivered)).as("the delivery is untouched").isEqualTo("delivered");
    }

    @Test
    void aResultWithoutPatientIdIsFailedWithTheReasonAndHoldsUpNothingElse() throws Exception {
        SyntheticSeries.Written ct = studies.create(dir.resolve("ct"), "H" + UUID.randomUUID().toString().substring(0, 8), "P-H2");
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(
                "update series set patient_id = null where series_instance_uid = ?")) {
            s.setString(1, ct.seriesInstanceUid()); // as from a modality that sent no Patient ID
            s.executeUpdate();
        }
        long delivered = deliveryId(ct);
        Instant t = Instant.now().plus(Duration.ofHours(1)).truncatedTo(ChronoUnit.MICROS);
        try (PeerProcess pacs = storescp()) {
            deliveries.deliverDue(t);
        }
        assertThat(query("select state from deliveries where id = " + delivered)).isEqualTo("delivered");

        try (MllpRis ris = new MllpRis(config.hl7().get("ris").port(), n -> MllpRis.Reply.AA);
             FhirReceiver ehr = new FhirReceiver(config.fhir().get("ehr").url().getPort(), ResultMessagesTestProfile.EHR_TOKEN,
                     n -> 200)) {
            List<NotificationAttempt> attempts = mine(sender.sendDue(t.plusSeconds(60)), delivered);
            assertThat(attempts).extracting(NotificationAttempt::webhook, NotificationAttempt::state).containsExactlyInAnyOrder(
                    tuple("ris", NotificationState.FAILED), tuple("strict-ris", NotificationState.FAILED),
                    tuple("down", NotificationState.FAILED), tuple("ehr", NotificationState.FAILED));
            assertThat(ris.received()).as("nothing sent without the patient").isEmpty();
            assertThat(ehr.requests()).isEmpty();
        }
        assertThat(rows(delivered)).allSatisfy(r -> assertThat(r.lastError())
                .startsWith("notification not handled: IllegalArgumentException: result " + r.resultId() + " has no patient ID"));
        assertThat(mine(sender.sendDue(t.plus(Duration.ofDays(1))), delivered)).as("failed is final").isEmpty();
        assertThat(query("select state from deliveries where id = " + delivered)).isEqualTo("delivered");
    }

    private PeerProcess storescp() throws Exception {
        int port = config.destinations().get("test-pacs").port().orElseThrow();
        Path received = Files.createDirectories(dir.resolve("pacs"));
        PeerProcess storescp = PeerProcess.start("storescp", List.of("storescp", "-aet", "TESTPACS", "-od", received.toString(),
                Integer.toString(port)), Dcmtk.NODELAY, dir.resolve("storescp.log"));
        storescp.awaitPort(port, Duration.ofSeconds(20));
        return storescp;
    }

    private static List<NotificationAttempt> mine(List<NotificationAttempt> attempts, long deliveryId) {
        return attempts.stream().filter(a -> a.deliveryId() == deliveryId).toList();
    }

    private long deliveryId(SyntheticSeries.Written ct) throws Exception {
        return Long.parseLong(query("""
                select d.id from deliveries d join results r on r.id = d.result_id join jobs j on j.id = r.job_id
                join series s on s.id = j.series_id where s.series_instance_uid = '%s' and d.destination = 'test-pacs'"""
                .formatted(ct.seriesInstanceUid())));
    }

    private String result(SyntheticSeries.Written ct, String column) throws Exception {
        return query("select r." + column + " from results r join jobs j on j.id = r.job_id join series s on s.id = j.series_id"
                + " where s.series_instance_uid = '" + ct.seriesInstanceUid() + "'");
    }

    private String query(String sql) throws Exception {
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(sql); ResultSet rs = s.executeQuery()) {
            assertThat(rs.next()).as(sql).isTrue();
            return rs.getString(1);
        }
    }

    /** The result messages of this delivery, by channel then receiver. */
    private List<Row> rows(long deliveryId) throws Exception {
        List<Row> out = new ArrayList<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement("""
                select channel, webhook, state, attempts, last_http_status, last_ack_code, last_error, result_id
                from notifications where delivery_id = ? and channel <> 'webhook' order by channel, webhook""")) {
            s.setLong(1, deliveryId);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) out.add(new Row(rs.getString(1), rs.getString(2), rs.getString(3), rs.getInt(4),
                        (Integer) rs.getObject(5), rs.getString(6), rs.getString(7), rs.getLong(8)));
            }
        }
        return out;
    }

    private List<String> audit(long deliveryId) throws Exception {
        return auditColumn("""
                event_type || ' ' || outcome || ' ' || (details->>'channel') || ' ' || (details->>'webhook') || ' '
                || coalesce(details->>'ackCode', 'null') || ' ' || (details->>'attempts')""", deliveryId);
    }

    private List<String> auditDetails(long deliveryId) throws Exception {
        return auditColumn("coalesce(source_address, '') || ' ' || details::text", deliveryId);
    }

    private List<String> auditColumn(String select, long deliveryId) throws Exception {
        List<String> out = new ArrayList<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement("select " + select + """
                 from audit_events where event_type like 'notification.%' and (details->>'deliveryId')::bigint = ?
                order by id""")) {
            s.setLong(1, deliveryId);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) out.add(rs.getString(1));
            }
        }
        return out;
    }
}
