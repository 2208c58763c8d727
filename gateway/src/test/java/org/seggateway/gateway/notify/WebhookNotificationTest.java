package org.seggateway.gateway.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.seggateway.audit.AuditChain;
import org.seggateway.dicomio.net.DicomReceiver;
import org.seggateway.dicomio.net.DimseStatus;
import org.seggateway.dicomio.net.ReceiverConfig;
import org.seggateway.dicomio.net.StoreRefusedException;
import org.seggateway.dicomio.synthetic.SyntheticSeries;
import org.seggateway.dicomio.testing.Dcmtk;
import org.seggateway.dicomio.testing.PeerProcess;
import org.seggateway.gateway.config.GatewayConfig;
import org.seggateway.gateway.egress.DeliveryService;
import org.seggateway.gateway.worklist.FinishedStudies;

/**
 * Delivery outcomes reach the webhooks: a series goes through the pipeline to a SEG with two deliveries, one stored by
 * DCMTK storescp (delivered), one refused by a DICOM peer (failed); the notifications are POSTed to real HTTP servers
 * (the JDK's), one answering 500 twice then 200, one 200 at once, and one port where nothing listens.
 */
@QuarkusTest
@TestProfile(WebhookTestProfile.class)
class WebhookNotificationTest {
    @Inject
    FinishedStudies studies;
    @Inject
    DeliveryService deliveries;
    @Inject
    NotificationSender sender;
    @Inject
    DataSource dataSource;
    @Inject
    GatewayConfig config;
    @TempDir
    Path dir;

    WebhookReceiver ris, ops;

    @BeforeEach
    void startWebhookReceivers() throws Exception {
        ris = new WebhookReceiver(config.webhooks().get("ris").url().getPort(), n -> n <= 2 ? 500 : 200);
        ops = new WebhookReceiver(config.webhooks().get("ops").url().getPort(), n -> 200);
    }

    @AfterEach
    void stopWebhookReceivers() {
        if (ris != null) ris.close();
        if (ops != null) ops.close();
    }

    record Row(String webhook, String eventType, long deliveryId, String state, int attempts, Integer httpStatus,
               String lastError, Instant sentAt, String eventId, JsonNode body) {}

    @Test
    void eachWebhookGetsItsEventsRetriedUntilAcceptedOrGivenUpAndAudited() throws Exception {
        String accession = "N" + UUID.randomUUID().toString().substring(0, 8);
        SyntheticSeries.Written ct = studies.create(dir.resolve("ct"), accession, "P-N1");
        long delivered = deliveryId(ct, "test-pacs"), refused = deliveryId(ct, "refusing-pacs");
        Instant t = Instant.now().plus(Duration.ofHours(1)).truncatedTo(ChronoUnit.MICROS);
        try (PeerProcess pacs = storescp(); DicomReceiver refuser = refusingPeer()) {
            deliveries.deliverDue(t);
            deliveries.deliverDue(t.plusSeconds(60));
        }
        assertThat(deliveryState(delivered)).isEqualTo("delivered");
        assertThat(deliveryState(refused)).isEqualTo("failed");

        assertThat(rows(delivered, refused)).as("written with the deliveries' change, one per webhook taking the event")
                .extracting(Row::webhook, Row::eventType, Row::deliveryId, Row::state, Row::attempts)
                .containsExactly(tuple("down", "delivery.delivered", delivered, "pending", 0),
                        tuple("ris", "delivery.delivered", delivered, "pending", 0),
                        tuple("down", "delivery.failed", refused, "pending", 0),
                        tuple("ops", "delivery.failed", refused, "pending", 0));

        Instant s = t.plusSeconds(120).truncatedTo(ChronoUnit.MICROS);
        assertThat(mine(sender.sendDue(s), delivered, refused)).hasSize(4);
        assertThat(mine(sender.sendDue(s.plusMillis(500)), delivered, refused)).as("not due before its backoff").isEmpty();
        assertThat(mine(sender.sendDue(s.plusSeconds(10)), delivered, refused)).as("ris and both of down").hasSize(3);
        List<NotificationAttempt> third = mine(sender.sendDue(s.plusSeconds(20)), delivered, refused);
        assertThat(third).extracting(NotificationAttempt::webhook, NotificationAttempt::eventType, NotificationAttempt::state,
                        NotificationAttempt::attempt)
                .containsExactlyInAnyOrder(tuple("ris", "delivery.delivered", NotificationState.SENT, 3),
                        tuple("down", "delivery.delivered", NotificationState.FAILED, 3),
                        tuple("down", "delivery.failed", NotificationState.FAILED, 3));
        assertThat(mine(sender.sendDue(s.plus(Duration.ofDays(1))), delivered, refused)).as("sent and failed are final").isEmpty();

        List<Row> rows = rows(delivered, refused);
        Row risRow = rows.get(1), opsRow = rows.get(3);
        assertThat(risRow).extracting(Row::state, Row::attempts, Row::httpStatus, Row::lastError, Row::sentAt)
                .containsExactly("sent", 3, 200, null, s.plusSeconds(20));
        assertThat(opsRow).extracting(Row::state, Row::attempts, Row::httpStatus, Row::sentAt).containsExactly("sent", 1, 200, s);
        for (Row down : List.of(rows.get(0), rows.get(2))) {
            assertThat(down.state()).isEqualTo("failed");
            assertThat(down.attempts()).isEqualTo(3);
            assertThat(down.httpStatus()).isNull();
            assertThat(down.lastError()).startsWith("gave up after 3 attempts (max-attempts 3): cannot connect to 127.0.0.1:" + downPort());
        }

        List<WebhookReceiver.Request> risRequests = ris.requests(risRow.eventId());
        assertThat(risRequests).hasSize(3).allSatisfy(r -> {
            assertThat(r.method()).isEqualTo("POST");
            assertThat(r.path()).isEqualTo("/hooks/seg");
            assertThat(r.query()).isEqualTo("key=" + WebhookTestProfile.QUERY_TOKEN);
            assertThat(r.header("X-Api-Key")).isEqualTo(WebhookTestProfile.RIS_TOKEN);
            assertThat(r.header("Content-Type")).isEqualTo("application/json");
            assertThat(r.body()).as("the same body each time").isEqualTo(risRequests.getFirst().body())
                    .doesNotContain("P-N1").doesNotContain("Finished");
        });
        JsonNode body = risRequests.getFirst().json();
        assertThat(body).isEqualTo(risRow.body());
        assertThat(body.path("event").asText()).isEqualTo("delivery.delivered");
        assertThat(body.path("eventId").asText()).isEqualTo(risRow.eventId());
        assertThat(body.path("accessionNumber").asText()).isEqualTo(accession);
        assertThat(body.path("studyInstanceUid").asText()).isEqualTo(ct.studyInstanceUid());
        assertThat(body.path("seriesInstanceUid").asText()).isEqualTo(ct.seriesInstanceUid());
        assertThat(body.path("segSopInstanceUid").asText()).isEqualTo(result(ct, "seg_sop_instance_uid"));
        assertThat(body.path("segSeriesInstanceUid").asText()).isEqualTo(result(ct, "seg_series_instance_uid")).startsWith("2.25.");
        assertThat(body.path("resultVersion").asInt()).isEqualTo(1);
        assertThat(body.path("srSopInstanceUid").asText()).isEqualTo(result(ct, "sr_sop_instance_uid")).startsWith("2.25.");
        JsonNode liver = body.path("measurements").path(0);
        assertThat(liver.path("label").asText()).isEqualTo("Liver");
        assertThat(liver.path("type").path("code").asText()).isEqualTo("10200004");
        assertThat(liver.path("voxelCount").asText()).isEqualTo(result(ct, "segment_statistics->0->>'voxelCount'"));
        assertThat(liver.path("voxelCount").asLong()).isPositive();
        assertThat(liver.path("volumeMl").asDouble()).isPositive();
        assertThat(liver.path("units").asText()).isEqualTo("HU");
        assertThat(body.path("model").path("name").asText()).isEqualTo("test-threshold");
        assertThat(body.path("model").path("version").asText()).isEqualTo("1.2.0");
        assertThat(body.path("destination").asText()).isEqualTo("test-pacs");
        assertThat(body.path("deliveryStatus").asText()).isEqualTo("delivered");
        assertThat(body.path("deliveryAttempts").asInt()).isEqualTo(1);
        assertThat(Instant.parse(body.path("time").asText())).isEqualTo(t);
        assertThat(body.has("reason")).isFalse();

        List<WebhookReceiver.Request> opsRequests = ops.requests(opsRow.eventId());
        assertThat(opsRequests).hasSize(1);
        JsonNode failed = opsRequests.getFirst().json();
        assertThat(failed.path("event").asText()).isEqualTo("delivery.failed");
        assertThat(failed.path("destination").asText()).isEqualTo("refusing-pacs");
        assertThat(failed.path("deliveryStatus").asText()).isEqualTo("failed");
        assertThat(failed.path("deliveryAttempts").asInt()).isEqualTo(2);
        assertThat(failed.path("reason").asText()).startsWith("0xA900");
        assertThat(failed.path("accessionNumber").asText()).isEqualTo(accession);
        assertThat(ops.requests(risRow.eventId())).as("ops does not take delivered events").isEmpty();

        List<String> audit = auditRows(delivered, refused);
        int risPort = config.webhooks().get("ris").url().getPort(), downPort = config.webhooks().get("down").url().getPort();
        assertThat(audit).containsExactlyInAnyOrder(
                "notification.sent sent 127.0.0.1:" + risPort + " ris delivery.delivered 3",
                "notification.failed failed 127.0.0.1:" + downPort + " down delivery.delivered 3",
                "notification.failed failed 127.0.0.1:" + downPort + " down delivery.failed 3",
                "notification.sent sent 127.0.0.1:" + config.webhooks().get("ops").url().getPort() + " ops delivery.failed 1");
        assertThat(auditDetails(delivered, refused)).allSatisfy(details -> assertThat(details)
                .contains(ct.studyInstanceUid()).contains(result(ct, "seg_sop_instance_uid"))
                .doesNotContain(accession).doesNotContain(WebhookTestProfile.QUERY_TOKEN).doesNotContain(WebhookTestProfile.RIS_TOKEN)
                .doesNotContain("/hooks"));
        try (Connection c = dataSource.getConnection()) {
            assertThat(AuditChain.firstBrokenRow(c)).isEmpty();
        }
    }

    @Test
    void aNotificationStillRefusedAfterMaxAgeIsGivenUpWithTheReason() throws Exception {
        SyntheticSeries.Written ct = studies.create(dir.resolve("ct"), "N" + UUID.randomUUID().toString().substring(0, 8), "P-N2");
        long delivered = deliveryId(ct, "test-pacs");
        Instant t = Instant.now().plus(Duration.ofHours(1)).truncatedTo(ChronoUnit.MICROS);
        try (PeerProcess pacs = storescp()) {
            deliveries.deliverDue(t);
        }
        assertThat(deliveryState(delivered)).isEqualTo("delivered");

        List<NotificationAttempt> attempts = mine(sender.sendDue(t.plus(Duration.ofHours(2))), delivered);

        assertThat(attempts).extracting(NotificationAttempt::webhook, NotificationAttempt::state, NotificationAttempt::attempt,
                        NotificationAttempt::httpStatus)
                .containsExactlyInAnyOrder(tuple("ris", NotificationState.FAILED, 1, 500), tuple("down", NotificationState.FAILED, 1, null));
        assertThat(rows(delivered)).extracting(Row::webhook, Row::state, Row::lastError).containsExactly(
                tuple("down", "failed", attempts.stream().filter(a -> a.webhook().equals("down")).findFirst().orElseThrow().error()),
                tuple("ris", "failed", "gave up after 1 attempt over PT2H (max-age PT1H): HTTP 500: try again later"));
        assertThat(rows(delivered).getFirst().lastError()).startsWith("gave up after 1 attempt over PT2H (max-age PT1H): cannot connect to 127.0.0.1:" + downPort());
        assertThat(auditRows(delivered)).hasSize(2).allSatisfy(a -> assertThat(a).startsWith("notification.failed failed"));
    }

    private int downPort() {
        return config.webhooks().get("down").url().getPort();
    }

    private PeerProcess storescp() throws Exception {
        int port = config.destinations().get("test-pacs").port().orElseThrow();
        Path received = Files.createDirectories(dir.resolve("pacs"));
        PeerProcess storescp = PeerProcess.start("storescp", List.of("storescp", "-aet", "TESTPACS", "-od", received.toString(),
                Integer.toString(port)), Dcmtk.NODELAY, dir.resolve("storescp.log"));
        storescp.awaitPort(port, Duration.ofSeconds(20));
        return storescp;
    }

    private DicomReceiver refusingPeer() throws Exception {
        ReceiverConfig scp = ReceiverConfig.defaults("REFUSER", dir.resolve("refuser"))
                .withPort(config.destinations().get("refusing-pacs").port().orElseThrow());
        return DicomReceiver.start(scp, instance -> {
            throw new StoreRefusedException(DimseStatus.DATA_SET_DOES_NOT_MATCH_SOP_CLASS, "not wanted here");
        }, null);
    }

    private static List<NotificationAttempt> mine(List<NotificationAttempt> attempts, Long... deliveryIds) {
        List<Long> ids = List.of(deliveryIds);
        return attempts.stream().filter(a -> ids.contains(a.deliveryId())).toList();
    }

    private long deliveryId(SyntheticSeries.Written ct, String destination) throws Exception {
        return Long.parseLong(query("""
                select d.id from deliveries d join results r on r.id = d.result_id join jobs j on j.id = r.job_id
                join series s on s.id = j.series_id where s.series_instance_uid = ? and d.destination = ?""",
                ct.seriesInstanceUid(), destination));
    }

    private String deliveryState(long id) throws Exception {
        return query("select state from deliveries where id = ?::bigint", Long.toString(id));
    }

    private String result(SyntheticSeries.Written ct, String column) throws Exception {
        return query("select r." + column + " from results r join jobs j on j.id = r.job_id join series s on s.id = j.series_id"
                + " where s.series_instance_uid = ?", ct.seriesInstanceUid());
    }

    private String query(String sql, String... parameters) throws Exception {
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) s.setString(i + 1, parameters[i]);
            try (ResultSet rs = s.executeQuery()) {
                assertThat(rs.next()).as(sql).isTrue();
                return rs.getString(1);
            }
        }
    }

    /** The notifications of these deliveries, by event type then webhook name. */
    private List<Row> rows(long... deliveryIds) throws Exception {
        List<Row> out = new ArrayList<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement("""
                select webhook, event_type, delivery_id, state, attempts, last_http_status, last_error, sent_at, event_id, body::text
                from notifications where delivery_id = any(?) order by event_type, webhook""")) {
            s.setArray(1, c.createArrayOf("bigint", java.util.Arrays.stream(deliveryIds).boxed().toArray()));
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    Timestamp sent = rs.getTimestamp(8);
                    out.add(new Row(rs.getString(1), rs.getString(2), rs.getLong(3), rs.getString(4), rs.getInt(5),
                            (Integer) rs.getObject(6), rs.getString(7), sent == null ? null : sent.toInstant(), rs.getString(9),
                            new com.fasterxml.jackson.databind.ObjectMapper().readTree(rs.getString(10))));
                }
            }
        }
        return out;
    }

    /** "type outcome address webhook event attempts" of the audit rows of these deliveries' notifications. */
    private List<String> auditRows(long... deliveryIds) throws Exception {
        return audit("""
                event_type || ' ' || outcome || ' ' || source_address || ' ' || (details->>'webhook') || ' '
                || (details->>'event') || ' ' || (details->>'attempts')""", deliveryIds);
    }

    private List<String> auditDetails(long... deliveryIds) throws Exception {
        return audit("study_instance_uid || ' ' || details::text", deliveryIds);
    }

    private List<String> audit(String select, long... deliveryIds) throws Exception {
        List<String> out = new ArrayList<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement("select " + select + """
                 from audit_events where event_type like 'notification.%' and (details->>'deliveryId')::bigint = any(?)
                order by id""")) {
            s.setArray(1, c.createArrayOf("bigint", java.util.Arrays.stream(deliveryIds).boxed().toArray()));
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) out.add(rs.getString(1));
            }
        }
        return out;
    }
}
