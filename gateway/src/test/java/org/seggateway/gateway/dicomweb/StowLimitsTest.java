package org.seggateway.gateway.dicomweb;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.seggateway.dicomio.synthetic.SyntheticSeries;
import org.seggateway.gateway.dicomweb.StowMultipart.Part;

/** STOW-RS keeps the listener's per-instance size limit: a larger part fails alone with 0xA700, the next is stored. */
@QuarkusTest
@TestProfile(StowLimitsTest.SmallInstances.class)
class StowLimitsTest {

    public static class SmallInstances implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("seg-gateway.scp.limits.max-instance-size", "100K");
        }
    }

    @TestHTTPResource("/dicomweb/studies")
    URI studies;
    @TempDir
    Path dir;

    @Test
    void aPartOverTheInstanceSizeLimitIsRefusedWithOutOfResourcesAndTheNextIsStored() throws Exception {
        SyntheticSeries.Written small = SyntheticSeries.ct().size(32, 32, 2).write(dir.resolve("small"));
        SyntheticSeries.Written large = SyntheticSeries.ct().size(256, 256, 1).write(dir.resolve("large"));
        assertThat(Files.size(large.files().getFirst())).isGreaterThan(100 * 1024);
        byte[] body = StowMultipart.body(List.of(Part.dicom(Files.readAllBytes(small.files().get(0))),
                Part.dicom(Files.readAllBytes(large.files().getFirst())), Part.dicom(Files.readAllBytes(small.files().get(1)))), true);

        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(studies)
                .header("Content-Type", StowMultipart.CONTENT_TYPE)
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString("operator:test-operator".getBytes(StandardCharsets.UTF_8)))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());

        assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
        JsonNode json = new ObjectMapper().readTree(r.body());
        assertThat(json.at("/00081198/Value").size()).isEqualTo(1);
        assertThat(json.at("/00081198/Value/0/00081197/Value/0").asInt()).isEqualTo(0xA700);
        assertThat(json.at("/00081199/Value").size()).isEqualTo(2);
        assertThat(json.at("/00081199/Value/1/00081155/Value/0").asText()).isEqualTo(small.sopInstanceUids().get(1));
    }
}
