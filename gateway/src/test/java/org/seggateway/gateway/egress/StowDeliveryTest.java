package org.seggateway.gateway.egress;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.io.ByteArrayInputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.seggateway.dicomio.synthetic.SyntheticSeries;
import org.seggateway.gateway.NetworkTestProfile;
import org.seggateway.gateway.config.GatewayConfig;
import org.seggateway.gateway.dicomweb.MultipartReader;
import org.seggateway.gateway.dicomweb.StowMediaType;

/**
 * Deliveries to a {@code kind=stow-rs} destination against a real HTTP server the test starts (the JDK's): the
 * request (multipart of the SEG and report files, bearer token) and how each kind of answer is recorded: 200 delivered,
 * 5xx and a refused connection retried, a Failed SOP Sequence refusal or a 4xx failed after refusals-before-failed (2).
 */
@QuarkusTest
@TestProfile(NetworkTestProfile.class)
class StowDeliveryTest {

    @Inject
    DeliveryService deliveries;
    @Inject
    DataSource dataSource;
    @Inject
    GatewayConfig config;
    @TempDir
    Path dir;

    record Received(String contentType, String authorization, List<byte[]> parts) {}

    private HttpServer server;
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final AtomicReference<int[]> status = new AtomicReference<>(new int[] {200});
    private final AtomicReference<String> answer = new AtomicReference<>("");
    private Path segFile, srFile;
    private String segUid, srUid;

    @BeforeEach
    void start() throws Exception {
        SyntheticSeries.Written w = SyntheticSeries.ct().size(16, 16, 2).write(dir.resolve("seg"));
        segFile = w.files().get(0);
        srFile = w.files().get(1);
        segUid = w.sopInstanceUids().get(0);
        srUid = w.sopInstanceUids().get(1);
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            s.executeUpdate("delete from delivery_attempts");
            s.executeUpdate("delete from deliveries");
        }
        startServer();
    }

    private void startServer() throws Exception {
        int port = config.destinations().get("web-pacs").url().orElseThrow().getPort();
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
        server.createContext("/dicomweb/studies", exchange -> {
            String type = exchange.getRequestHeaders().getFirst("Content-Type");
            List<byte[]> parts = new ArrayList<>();
            MultipartReader reader = new MultipartReader(new ByteArrayInputStream(exchange.getRequestBody().readAllBytes()),
                    StowMediaType.parse(type).parameter("boundary"));
            for (MultipartReader.Part p; (p = reader.next()) != null; ) parts.add(p.body().readAllBytes());
            received.add(new Received(type, exchange.getRequestHeaders().getFirst("Authorization"), parts));
            byte[] body = answer.get().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/dicom+json");
            exchange.sendResponseHeaders(status.get()[0], body.length == 0 ? -1 : body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
    }

    @AfterEach
    void stop() {
        if (server != null) server.stop(0);
    }

    @Test
    void theSegAndReportGoInOneMultipartRequestAndA200WithBothReferencedIsDelivered() throws Exception {
        long id = insertDelivery(true);
        answer.set("{\"00081199\":{\"vr\":\"SQ\",\"Value\":[" + item(segUid) + "," + item(srUid) + "]}}");

        DeliveryAttempt a = single(deliveries.deliverDue(later(1)), id);

        assertThat(a.state()).isEqualTo(DeliveryState.DELIVERED);
        assertThat(a.dicomStatus()).isZero();
        Received r = received.getFirst();
        assertThat(r.contentType()).startsWith("multipart/related; type=\"application/dicom\"; boundary=");
        assertThat(r.authorization()).isEqualTo("Bearer test-token");
        assertThat(r.parts()).hasSize(2);
        assertThat(r.parts().get(0)).isEqualTo(Files.readAllBytes(segFile));
        assertThat(r.parts().get(1)).isEqualTo(Files.readAllBytes(srFile));
        assertThat(httpStatuses(id)).containsExactly(200);
    }

    @Test
    void serverErrorsAndARefusedConnectionAreRetriedThenA200Delivers() throws Exception {
        long id = insertDelivery(false);
        status.set(new int[] {503});
        Instant t = later(2);
        DeliveryAttempt first = single(deliveries.deliverDue(t), id);
        assertThat(first.state()).isEqualTo(DeliveryState.PENDING);
        assertThat(first.error()).contains("HTTP 503");

        server.stop(0);
        DeliveryAttempt second = single(deliveries.deliverDue(t.plusSeconds(60)), id);
        assertThat(second.state()).isEqualTo(DeliveryState.PENDING);
        assertThat(second.error()).contains("not reachable");

        startServer();
        status.set(new int[] {200});
        answer.set("{\"00081199\":{\"vr\":\"SQ\",\"Value\":[" + item(segUid) + "]}}");
        assertThat(single(deliveries.deliverDue(t.plusSeconds(120)), id).state()).isEqualTo(DeliveryState.DELIVERED);
        assertThat(httpStatuses(id)).containsExactly(503, null, 200);
    }

    @Test
    void aFailedSopSequenceRefusalOfTheSegFailsTheDeliveryAfterRepeatedRefusalsWithTheReasonRecorded() throws Exception {
        long id = insertDelivery(false);
        status.set(new int[] {409});
        answer.set("{\"00081198\":{\"vr\":\"SQ\",\"Value\":[{\"00081155\":{\"vr\":\"UI\",\"Value\":[\"" + segUid
                + "\"]},\"00081197\":{\"vr\":\"US\",\"Value\":[43264]}}]}}");
        Instant t = later(3);

        DeliveryAttempt first = single(deliveries.deliverDue(t), id);
        DeliveryAttempt second = single(deliveries.deliverDue(t.plusSeconds(60)), id);

        assertThat(first.dicomStatus()).isEqualTo(0xA900);
        assertThat(first.state()).isEqualTo(DeliveryState.PENDING);
        assertThat(second.state()).isEqualTo(DeliveryState.FAILED);
        assertThat(lastError(id)).contains("HTTP 409").contains("0xA900").contains("refused the SEG");
    }

    @Test
    void aClientErrorWithoutFailureReasonCountsAsARefusal() throws Exception {
        long id = insertDelivery(false);
        status.set(new int[] {401});
        answer.set("");
        Instant t = later(4);

        DeliveryAttempt first = single(deliveries.deliverDue(t), id);
        DeliveryAttempt second = single(deliveries.deliverDue(t.plusSeconds(60)), id);

        assertThat(first.dicomStatus()).isNull();
        assertThat(first.state()).isEqualTo(DeliveryState.PENDING);
        assertThat(second.state()).isEqualTo(DeliveryState.FAILED);
        assertThat(httpStatuses(id)).containsExactly(401, 401);
    }

    private static String item(String uid) {
        return "{\"00081155\":{\"vr\":\"UI\",\"Value\":[\"" + uid + "\"]}}";
    }

    private static Instant later(int hours) {
        return Instant.now().plus(Duration.ofHours(10 + hours)).truncatedTo(ChronoUnit.MICROS);
    }

    private static DeliveryAttempt single(List<DeliveryAttempt> attempts, long id) {
        assertThat(attempts).extracting(DeliveryAttempt::deliveryId).containsExactly(id);
        return attempts.getFirst();
    }

    private List<Integer> httpStatuses(long id) throws Exception {
        List<Integer> out = new ArrayList<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(
                "select http_status from delivery_attempts where delivery_id = ? order by id")) {
            s.setLong(1, id);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) out.add((Integer) rs.getObject(1));
            }
        }
        return out;
    }

    private String lastError(long id) throws Exception {
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(
                "select last_error from deliveries where id = ?")) {
            s.setLong(1, id);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getString(1);
            }
        }
    }

    /** A series, a done job, its result (SEG, and the report when {@code withReport}), one pending delivery to web-pacs. */
    private long insertDelivery(boolean withReport) throws Exception {
        return TestDeliveries.insert(dataSource, "web-pacs", Instant.now(), segFile, segUid, withReport ? srFile : null);
    }
}
