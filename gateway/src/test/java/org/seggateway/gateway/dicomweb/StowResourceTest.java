package org.seggateway.gateway.dicomweb;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.seggateway.dicomio.synthetic.SyntheticSeries;
import org.seggateway.gateway.config.GatewayConfig;
import org.seggateway.gateway.dicomweb.StowMultipart.Part;

/**
 * STOW-RS into the running gateway from the JDK's HTTP client: instances stored through the C-STORE ingest (rows,
 * spool, audit with the API user as the source), each bad part refused alone with its Failure Reason, and the request
 * refused whole for the wrong user, media type or framing.
 */
@QuarkusTest
class StowResourceTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient CLIENT = HttpClient.newHttpClient();

    @TestHTTPResource("/dicomweb/studies")
    URI studies;
    @Inject
    DataSource dataSource;
    @Inject
    GatewayConfig config;
    @TempDir
    Path dir;

    @Test
    void storesTheGoodInstancesAndRefusesEachBadPartAloneWithItsReason() throws Exception {
        SyntheticSeries.Written series = SyntheticSeries.ct().size(32, 32, 4).write(dir.resolve("ct"));
        List<Path> files = series.files();
        byte[] good0 = Files.readAllBytes(files.get(0)), good1 = Files.readAllBytes(files.get(1)), good3 = Files.readAllBytes(files.get(3));
        byte[] shortPixels = Arrays.copyOf(Files.readAllBytes(files.get(2)), (int) Files.size(files.get(2)) - 500);
        long auditFrom = lastAuditId();

        HttpResponse<String> r = post(studies, "operator", StowMultipart.CONTENT_TYPE, StowMultipart.body(List.of(
                Part.dicom(good0),
                new Part("text/plain", "not an image".getBytes(StandardCharsets.US_ASCII)),
                Part.dicom(good1),
                Part.dicom(shortPixels),
                Part.dicom("DICM? no: a JSON document {}".getBytes(StandardCharsets.US_ASCII)),
                Part.dicom(good3)), true));

        assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
        assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/dicom+json"));
        JsonNode body = JSON.readTree(r.body());
        assertThat(uids(body.at("/00081199/Value"))).containsExactly(series.sopInstanceUids().get(0),
                series.sopInstanceUids().get(1), series.sopInstanceUids().get(3));
        JsonNode failed = body.at("/00081198/Value");
        assertThat(failed.size()).isEqualTo(3);
        assertThat(failed.get(0).at("/00081197/Value/0").asInt()).as("text/plain part").isEqualTo(0xC000);
        assertThat(failed.get(1).at("/00081197/Value/0").asInt()).as("short Pixel Data").isEqualTo(0xA900);
        assertThat(failed.get(1).at("/00081155/Value/0").asText()).isEqualTo(series.sopInstanceUids().get(2));
        assertThat(failed.get(2).at("/00081197/Value/0").asInt()).as("not Part 10").isEqualTo(0xC000);

        assertThat(storedRows(series.seriesInstanceUid())).containsExactlyInAnyOrder(series.sopInstanceUids().get(0),
                series.sopInstanceUids().get(1), series.sopInstanceUids().get(3));
        assertThat(seriesCallingAe(series.seriesInstanceUid())).as("the sender's configured AE title, for routing").isEqualTo("STOWTEST");
        assertThat(transferSyntaxes(series.seriesInstanceUid())).as("from each part's File Meta Information")
                .containsOnly("1.2.840.10008.1.2.1");
        List<String[]> audit = auditSince(auditFrom);
        assertThat(audit).filteredOn(a -> a[1].equals("stored")).hasSize(3)
                .allSatisfy(a -> {
                    assertThat(a[0]).isEqualTo("operator");
                    assertThat(a[2]).contains("\"via\": \"stow-rs\"").contains("\"callingAeTitle\": \"STOWTEST\"");
                });
        assertThat(audit).filteredOn(a -> a[1].equals("refused")).hasSize(3).allSatisfy(a -> assertThat(a[0]).isEqualTo("operator"));
        assertThat(io.restassured.RestAssured.given().get("/q/metrics").then().extract().body().asString())
                .containsPattern("seggateway_stow_instances_received_total\\{outcome=\"stored\"[^}]*} [1-9]")
                .containsPattern("seggateway_stow_instances_received_total\\{outcome=\"refused\"[^}]*} [1-9]");
        try (Stream<Path> incoming = Files.list(config.spool().resolve("incoming"))) {
            assertThat(incoming.filter(p -> p.getFileName().toString().startsWith("stow-"))).as("nothing left in incoming").isEmpty();
        }
    }

    @Test
    void aBodyCutInsideAPartKeepsThePartsBeforeIt() throws Exception {
        SyntheticSeries.Written series = SyntheticSeries.ct().size(16, 16, 2).write(dir.resolve("cut"));
        byte[] second = Files.readAllBytes(series.files().get(1));
        HttpResponse<String> r = post(studies, "operator", StowMultipart.CONTENT_TYPE, StowMultipart.body(List.of(
                Part.dicom(Files.readAllBytes(series.files().get(0))), Part.dicom(Arrays.copyOf(second, second.length / 2))), false));

        assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
        JsonNode body = JSON.readTree(r.body());
        assertThat(uids(body.at("/00081199/Value"))).containsExactly(series.sopInstanceUids().get(0));
        assertThat(body.at("/00081198/Value/0/00081197/Value/0").asInt()).isEqualTo(0xC000);
        assertThat(storedRows(series.seriesInstanceUid())).containsExactly(series.sopInstanceUids().get(0));
    }

    @Test
    void anInstanceOfAnotherStudyThanThePathNamesIsRefused() throws Exception {
        SyntheticSeries.Written series = SyntheticSeries.ct().size(16, 16, 1).write(dir.resolve("study"));
        HttpResponse<String> r = post(URI.create(studies + "/1.2.826.0.1.3680043.99.1"), "operator", StowMultipart.CONTENT_TYPE,
                StowMultipart.body(List.of(Part.dicom(Files.readAllBytes(series.files().getFirst()))), true));

        assertThat(r.statusCode()).as(r.body()).isEqualTo(409);
        assertThat(JSON.readTree(r.body()).at("/00081198/Value/0/00081197/Value/0").asInt()).isEqualTo(0xA900);
        assertThat(storedRows(series.seriesInstanceUid())).isEmpty();

        HttpResponse<String> right = post(URI.create(studies + "/" + series.studyInstanceUid()), "operator",
                StowMultipart.CONTENT_TYPE, StowMultipart.body(List.of(Part.dicom(Files.readAllBytes(series.files().getFirst()))), true));
        assertThat(right.statusCode()).as(right.body()).isEqualTo(200);
    }

    @Test
    void onlyListedSendersMayStore() throws Exception {
        byte[] body = StowMultipart.body(List.of(Part.dicom(new byte[10])), true);
        assertThat(post(studies, "viewer", StowMultipart.CONTENT_TYPE, body).statusCode()).isEqualTo(403);
        assertThat(post(studies, null, StowMultipart.CONTENT_TYPE, body).statusCode()).isEqualTo(401);
    }

    @Test
    void aWrongMediaTypeIs415AndBrokenFramingIs400() throws Exception {
        byte[] body = StowMultipart.body(List.of(Part.dicom(new byte[10])), true);
        assertThat(post(studies, "operator", "application/json", body).statusCode()).isEqualTo(415);
        assertThat(post(studies, "operator", "multipart/related; type=\"application/dicom+xml\"; boundary=" + StowMultipart.BOUNDARY,
                body).statusCode()).isEqualTo(415);
        assertThat(post(studies, "operator", "multipart/related; type=\"application/dicom\"", body).statusCode()).as("no boundary")
                .isEqualTo(400);
        assertThat(post(studies, "operator", "multipart/related; type=\"application/dicom\"; boundary=other", body).statusCode())
                .as("boundary not in the body").isEqualTo(400);
    }

    private HttpResponse<String> post(URI uri, String user, String contentType, byte[] body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri).header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (user != null)
            b.header("Authorization", "Basic " + Base64.getEncoder().encodeToString((user + ":test-" + user).getBytes(StandardCharsets.UTF_8)));
        return CLIENT.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static List<String> uids(JsonNode items) {
        List<String> uids = new ArrayList<>();
        items.forEach(i -> uids.add(i.at("/00081155/Value/0").asText()));
        return uids;
    }

    private List<String> storedRows(String seriesUid) throws Exception {
        List<String> sops = new ArrayList<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(
                "select i.sop_instance_uid from instances i join series s on s.id = i.series_id where s.series_instance_uid = ?")) {
            s.setString(1, seriesUid);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) sops.add(rs.getString(1));
            }
        }
        return sops;
    }

    private List<String> transferSyntaxes(String seriesUid) throws Exception {
        List<String> out = new ArrayList<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(
                "select i.transfer_syntax_uid from instances i join series s on s.id = i.series_id where s.series_instance_uid = ?")) {
            s.setString(1, seriesUid);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) out.add(rs.getString(1));
            }
        }
        return out;
    }

    private String seriesCallingAe(String seriesUid) throws Exception {
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(
                "select calling_ae_title from series where series_instance_uid = ?")) {
            s.setString(1, seriesUid);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }

    private long lastAuditId() throws Exception {
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement("select coalesce(max(id), 0) from audit_events");
             ResultSet rs = s.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** dicom.store rows after {@code from}: actor, outcome, details. */
    private List<String[]> auditSince(long from) throws Exception {
        List<String[]> rows = new ArrayList<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(
                "select actor, outcome, details::text from audit_events where id > ? and event_type = 'dicom.store' order by id")) {
            s.setLong(1, from);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) rows.add(new String[] {rs.getString(1), rs.getString(2), rs.getString(3)});
            }
        }
        return rows;
    }
}
