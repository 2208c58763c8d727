package org.seggateway.gateway.listener;

import org.seggateway.audit.AuditChain;
import static io.restassured.RestAssured.given;
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
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.seggateway.dicomio.net.DicomSender;
import org.seggateway.dicomio.net.DimseStatus;
import org.seggateway.dicomio.net.RemoteAe;
import org.seggateway.dicomio.net.StoreOutcome;
import org.seggateway.dicomio.net.StoreResult;
import org.seggateway.dicomio.synthetic.SyntheticSeries;
import org.seggateway.dicomio.testing.Dcmtk;
import org.seggateway.dicomio.testing.Part10;
import org.seggateway.gateway.NetworkTestProfile;
import org.seggateway.gateway.config.GatewayConfig;

@QuarkusTest
@TestProfile(NetworkTestProfile.class)
class DicomListenerTest {
    @Inject
    DicomListener listener;
    @Inject
    DataSource dataSource;
    @Inject
    MeterRegistry registry;
    @Inject
    GatewayConfig config;
    @TempDir
    Path dir;

    record AuditRow(String type, String actor, String address, String study, String outcome, String details) {}

    @Test
    void storesASeriesFromStorescuDurablyAndAuditsTheAssociationAndEachInstance() throws Exception {
        SyntheticSeries.Written series = SyntheticSeries.ct().size(64, 64, 8).write(dir.resolve("ct"));
        long auditFrom = lastAuditId();
        double storedBefore = counter("seggateway.instances.received", "outcome", "stored");
        double bytesBefore = counter("seggateway.received.bytes", null, null);

        Dcmtk.Result r = Dcmtk.storescu("MODALITY", "SEGGATEWAY", listener.port(), series.files());

        assertThat(r.exitCode()).as(r.output()).isZero();
        Map<String, Path> spooled = new java.util.HashMap<>();
        long spooledBytes = 0;
        try (Connection c = dataSource.getConnection();
             PreparedStatement s = c.prepareStatement("""
                     select i.sop_instance_uid, i.spool_path, i.size_bytes from instances i join series s on s.id = i.series_id
                     where s.series_instance_uid = ?""")) {
            s.setString(1, series.seriesInstanceUid());
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    spooled.put(rs.getString(1), Path.of(rs.getString(2)));
                    spooledBytes += rs.getLong(3);
                }
            }
        }
        assertThat(spooled.keySet()).containsExactlyInAnyOrderElementsOf(series.sopInstanceUids());
        for (int i = 0; i < series.files().size(); i++) {
            Path inSpool = spooled.get(series.sopInstanceUids().get(i));
            assertThat(inSpool).startsWith(config.spool().toAbsolutePath().normalize()).exists();
            assertThat(Part10.dataSet(inSpool)).as("data set byte-identical to what was sent")
                    .isEqualTo(Part10.dataSet(series.files().get(i)));
        }
        try (Stream<Path> incoming = Files.list(config.spool().resolve("incoming"))) {
            assertThat(incoming).as("nothing left in incoming").isEmpty();
        }

        List<AuditRow> audit = auditSince(auditFrom);
        assertThat(audit.getFirst()).extracting(AuditRow::type, AuditRow::actor, AuditRow::address, AuditRow::outcome)
                .containsExactly("dicom.association", "MODALITY", "127.0.0.1", "accepted");
        assertThat(audit.getLast()).extracting(AuditRow::type, AuditRow::outcome).containsExactly("dicom.association", "released");
        assertThat(audit.getLast().details()).contains("\"instancesStored\": 8");
        List<AuditRow> stores = audit.stream().filter(a -> a.type().equals("dicom.store")).toList();
        assertThat(stores).hasSize(8).allSatisfy(a -> {
            assertThat(a.outcome()).isEqualTo("stored");
            assertThat(a.study()).isEqualTo(series.studyInstanceUid());
            assertThat(a.actor()).isEqualTo("MODALITY");
        });
        assertThat(stores).extracting(a -> a.details().replaceAll(".*\"sopInstanceUid\": \"([0-9.]+)\".*", "$1"))
                .containsExactlyInAnyOrderElementsOf(series.sopInstanceUids());
        assertChainIntact();

        assertThat(counter("seggateway.instances.received", "outcome", "stored") - storedBefore).isEqualTo(8);
        assertThat(counter("seggateway.received.bytes", null, null) - bytesBefore).isEqualTo(spooledBytes);
        assertThat(given().get("/q/metrics").then().extract().body().asString())
                .containsPattern("seggateway_instances_received_total\\{outcome=\"stored\"[^}]*} [1-9]")
                .contains("seggateway_received_bytes_total");
        String health = given().get("/q/health/ready").then().extract().body().asString();
        assertThat(given().get("/q/health/ready").then().extract().jsonPath()
                .getString("checks.find { it.name == 'DICOM SCP' }.status")).as(health).isEqualTo("UP");
        assertThat(given().get("/q/health/group/ingest").then().statusCode(200).extract().jsonPath().getList("checks.name"))
                .as("what receiving needs, without Kafka").containsExactlyInAnyOrder("database", "DICOM SCP");

        // the same instances again from another AE (as a PACS would send them): the File Meta Information the
        // listener writes names the other sender, the data sets are the same, so they are duplicates
        double duplicatesBefore = counter("seggateway.instances.received", "outcome", "duplicate");
        long againFrom = lastAuditId();
        Dcmtk.Result again = Dcmtk.storescu("CT01", "SEGGATEWAY", listener.port(), series.files());
        assertThat(again.exitCode()).as(again.output()).isZero();
        assertThat(auditSince(againFrom).getLast()).extracting(AuditRow::type, AuditRow::outcome)
                .containsExactly("dicom.association", "released");
        assertThat(counter("seggateway.instances.received", "outcome", "duplicate") - duplicatesBefore).isEqualTo(8);
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(
                "select count(*) from instances i join series s on s.id = i.series_id where s.series_instance_uid = ?")) {
            s.setString(1, series.seriesInstanceUid());
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                assertThat(rs.getInt(1)).as("no new instance versions").isEqualTo(8);
            }
        }
    }

    @Test
    void rejectsAnUnknownCallingAeTitleAndAuditsIt() throws Exception {
        SyntheticSeries.Written series = SyntheticSeries.ct().size(16, 16, 1).write(dir.resolve("ct"));
        long auditFrom = lastAuditId();

        Dcmtk.Result r = Dcmtk.storescu("INTRUDER", "SEGGATEWAY", listener.port(), series.files());

        assertThat(r.exitCode()).as(r.output()).isNotZero();
        assertThat(r.output()).containsIgnoringCase("rejected");
        assertThat(auditSince(auditFrom)).singleElement()
                .extracting(AuditRow::type, AuditRow::actor, AuditRow::address, AuditRow::outcome)
                .containsExactly("dicom.association", "INTRUDER", "127.0.0.1", "rejected");
        assertThat(instanceCount(series.seriesInstanceUid())).isZero();
        assertChainIntact();
    }

    @Test
    void refusesMalformedInstancesWithAFailureStatusAndKeepsTheOthers() throws Exception {
        SyntheticSeries.Written series = SyntheticSeries.ct().size(32, 32, 4).write(dir.resolve("ct"));
        List<Path> files = series.files();
        dcmtk("dcmodify", "-nb", "-e", "(7fe0,0010)", files.get(1).toString());
        dcmtk("dcmodify", "-nb", "-m", "(0008,0018)=1.2.840.99.bad-uid", files.get(2).toString());
        long auditFrom = lastAuditId();

        StoreResult result = new DicomSender("CT01").store(new RemoteAe("127.0.0.1", listener.port(), "SEGGATEWAY"), files);

        assertThat(result.outcomes()).extracting(StoreOutcome::status).containsExactly(DimseStatus.SUCCESS,
                DimseStatus.DATA_SET_DOES_NOT_MATCH_SOP_CLASS, DimseStatus.CANNOT_UNDERSTAND, DimseStatus.SUCCESS);
        assertThat(instanceCount(series.seriesInstanceUid())).isEqualTo(2);
        List<AuditRow> refused = auditSince(auditFrom).stream().filter(a -> a.outcome().equals("refused")).toList();
        assertThat(refused).hasSize(2);
        assertThat(refused.get(0).details()).contains("0xA900").contains("without Pixel Data");
        assertThat(refused.get(1).details()).contains("0xC000").contains("SOP Instance UID");
        assertThat(auditSince(auditFrom).getLast()).extracting(AuditRow::outcome).isEqualTo("released");
        try (Stream<Path> incoming = Files.list(config.spool().resolve("incoming"))) {
            assertThat(incoming).as("refused files are not kept").isEmpty();
        }
        assertChainIntact();
    }

    @Test
    void abortsTheAssociationWhenTheInstanceCannotBeMadeDurableSoThatTheSenderRetries() throws Exception {
        SyntheticSeries.Written series = SyntheticSeries.ct().size(16, 16, 3).write(dir.resolve("ct"));
        Path blocker = config.spool().resolve(series.studyInstanceUid()); // a file where the study folder must go
        Files.createDirectories(blocker.getParent());
        Files.writeString(blocker, "in the way");
        RemoteAe gateway = new RemoteAe("127.0.0.1", listener.port(), "SEGGATEWAY");
        long auditFrom = lastAuditId();
        try {
            StoreResult failed = new DicomSender("CT01").store(gateway, series.files());

            assertThat(failed.outcomes()).extracting(StoreOutcome::status).containsOnly(DimseStatus.NO_RESPONSE);
            assertThat(instanceCount(series.seriesInstanceUid())).isZero();
            assertThat(auditSince(auditFrom).getLast()).extracting(AuditRow::type, AuditRow::outcome)
                    .containsExactly("dicom.association", "aborted");
        } finally {
            Files.delete(blocker);
        }

        StoreResult retried = new DicomSender("CT01").store(gateway, series.files());

        assertThat(retried.allStored()).as(retried.failures().toString()).isTrue();
        assertThat(instanceCount(series.seriesInstanceUid())).isEqualTo(3);
        assertChainIntact();
    }

    private long lastAuditId() throws Exception {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("select coalesce(max(id), 0) from audit_events")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** Audit rows after {@code id}, waiting briefly for the association's end event (written after the sender left). */
    private List<AuditRow> auditSince(long id) throws Exception {
        List<AuditRow> rows = new ArrayList<>();
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        do {
            rows.clear();
            try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement("""
                    select event_type, actor, source_address, study_instance_uid, outcome, details::text
                    from audit_events where id > ? order by id""")) {
                s.setLong(1, id);
                try (ResultSet rs = s.executeQuery()) {
                    while (rs.next())
                        rows.add(new AuditRow(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                                rs.getString(5), rs.getString(6)));
                }
            }
            if (!rows.isEmpty() && List.of("released", "aborted", "rejected").contains(rows.getLast().outcome())) break;
            Thread.sleep(50);
        } while (System.nanoTime() < deadline);
        return rows;
    }

    private void assertChainIntact() throws Exception {
        try (Connection c = dataSource.getConnection()) {
            assertThat(AuditChain.firstBrokenRow(c)).isEmpty();
        }
    }

    private int instanceCount(String seriesUid) throws Exception {
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(
                "select count(*) from instances i join series s on s.id = i.series_id where s.series_instance_uid = ?")) {
            s.setString(1, seriesUid);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }

    private double counter(String name, String tag, String value) {
        Counter c = tag == null ? registry.find(name).counter() : registry.find(name).tag(tag, value).counter();
        return c == null ? 0 : c.count();
    }

    private static void dcmtk(String... command) throws Exception {
        Dcmtk.Result r = Dcmtk.run(Duration.ofSeconds(30), List.of(command));
        assertThat(r.exitCode()).as(r.output()).isZero();
    }
}
