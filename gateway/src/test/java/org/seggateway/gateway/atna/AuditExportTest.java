package org.seggateway.gateway.atna;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.seggateway.gateway.audit.AuditEvent;
import org.seggateway.gateway.audit.AuditTrail;

/**
 * The audit trail leaves the gateway for a real rsyslogd as RFC 5424 messages carrying DICOM audit messages, in id
 * order, every row; while the daemon is stopped the rows wait (backlog metric) and none is lost once it is back.
 */
@QuarkusTest
@TestProfile(SyslogExportProfile.class)
class AuditExportTest {
    static final String STUDY = "1.2.826.0.1.3680043.8.498.77";
    @Inject
    AuditTrail trail;
    @Inject
    AuditExporter exporter;
    @Inject
    DataSource dataSource;

    @Test
    void everyRowArrivesAsADicomAuditMessageAndNoneIsLostWhileTheDaemonIsDown() throws Exception {
        RsyslogDaemon daemon = SyslogExportProfile.Rsyslog.daemon();
        long store = trail.append(new AuditEvent("dicom.store", "CT01", "127.0.0.1", STUDY, "stored",
                Map.of("sopInstanceUid", "1.2.3.4.5", "sopClassUid", "1.2.840.10008.5.1.4.1.1.2", "associationId", 1)));
        long read = trail.append(new AuditEvent("api.read", "alice", "127.0.0.1", STUDY, "success",
                Map.of("endpoint", "GET /api/studies/{studyUid}", "query", Map.of("studyUid", STUDY))));

        Map<Long, Rfc5424> received = awaitRows(daemon, maxId());
        assertThat(received.keySet()).as("every row, in id order, from the first").containsExactlyElementsOf(ids(1, maxId()));
        assertThat(received.get(1L).xpath("/AuditMessage/EventIdentification/EventTypeCode/@csd-code"))
                .as("the first row: the gateway's start").isEqualTo("110120");
        Rfc5424 stored = received.get(store);
        assertThat(stored.appName()).isEqualTo("seg-gateway");
        assertThat(stored.facility()).isEqualTo(10);
        assertThat(stored.hostName()).isEqualTo("gw-test");
        assertThat(stored.xpath("/AuditMessage/EventIdentification/EventID/@csd-code")).isEqualTo("110104");
        assertThat(stored.xpath("/AuditMessage/ParticipantObjectIdentification/@ParticipantObjectID")).isEqualTo(STUDY);
        assertThat(stored.parameter("hash")).isEqualTo(hashOf(store));
        assertThat(received.get(read).xpath("/AuditMessage/EventIdentification/EventID/@csd-code")).isEqualTo("110112");
        assertThat(received.get(read).xpath("/AuditMessage/ParticipantObjectIdentification[ParticipantObjectIDTypeCode/@csd-code='110180']"
                + "/@ParticipantObjectID")).isEqualTo(STUDY);
        awaitPosition(maxId());
        assertThat(scalar("select last_hash from audit_export_positions where target = 'syslog'")).isEqualTo(hashOf(maxId()));
        awaitMetric("seggateway_audit_export_backlog", 0);

        daemon.stop();
        List<Long> whileDown = new ArrayList<>();
        for (int i = 0; i < 5; i++)
            whileDown.add(trail.append(new AuditEvent("delivery", "SEGGATEWAY", "127.0.0.1:104", STUDY, "retry",
                    Map.of("deliveryId", i, "calledAeTitle", "PACS", "error", "connection refused"))));
        awaitMetric("seggateway_audit_export_backlog", 5);
        assertThat(metric("seggateway_audit_export_failures_total")).isPositive();
        long positionWhileDown = exporter.position();
        assertThat(positionWhileDown).isLessThan(whileDown.getFirst());

        daemon.restart();
        received = awaitRows(daemon, maxId());
        assertThat(received.keySet()).as("nothing lost, nothing out of order").containsExactlyElementsOf(ids(1, maxId()));
        for (long id : whileDown)
            assertThat(received.get(id).xpath("/AuditMessage/EventIdentification/@EventOutcomeIndicator")).isEqualTo("4");
        awaitMetric("seggateway_audit_export_backlog", 0);
        assertThat(daemon.lines().size()).as("repeats: at most the in-flight message").isLessThanOrEqualTo((int) maxId() + 1);
    }

    /** The messages received, by row id (a repeated row once); waits until row {@code lastId} is among them. */
    private static Map<Long, Rfc5424> awaitRows(RsyslogDaemon daemon, long lastId) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        Map<Long, Rfc5424> rows = new LinkedHashMap<>();
        while (System.nanoTime() < deadline) {
            rows.clear();
            for (RsyslogDaemon.Line line : daemon.lines()) {
                assertThat(line.protocolVersion()).isEqualTo("1");
                Rfc5424 m = Rfc5424.parse(line.raw());
                rows.putIfAbsent(Long.parseLong(m.parameter("rowId")), m);
            }
            if (rows.containsKey(lastId)) return rows;
            Thread.sleep(100);
        }
        throw new AssertionError("row " + lastId + " not received within 30 s; received " + rows.keySet());
    }

    private static List<Long> ids(long from, long to) {
        List<Long> ids = new ArrayList<>();
        for (long id = from; id <= to; id++) ids.add(id);
        return ids;
    }

    private void awaitPosition(long id) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (exporter.position() < id && System.nanoTime() < deadline) Thread.sleep(50);
        assertThat(scalar("select last_id from audit_export_positions where target = 'syslog'")).isEqualTo(Long.toString(id));
    }

    private static void awaitMetric(String name, double expected) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        double last = Double.NaN;
        while (System.nanoTime() < deadline) {
            last = metric(name);
            if (last == expected) return;
            Thread.sleep(200);
        }
        throw new AssertionError(name + " is " + last + ", not " + expected);
    }

    private static double metric(String name) {
        String text = given().get("/q/metrics").then().statusCode(200).extract().asString();
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(name) + "(?:\\{[^}]*\\})? (\\S+)$").matcher(text);
        if (!m.find()) throw new AssertionError("no metric " + name);
        return Double.parseDouble(m.group(1));
    }

    private long maxId() throws Exception {
        return Long.parseLong(scalar("select max(id) from audit_events"));
    }

    private String hashOf(long id) throws Exception {
        return scalar("select hash from audit_events where id = " + id);
    }

    private String scalar(String sql) throws Exception {
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(sql); ResultSet rs = s.executeQuery()) {
            return rs.next() ? rs.getString(1) : null;
        }
    }
}
