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

/** Below the listener's free-disk floor STOW-RS writes nothing: every part 0xA700, HTTP 409. */
@QuarkusTest
@TestProfile(StowDiskFloorTest.UnreachableFloor.class)
class StowDiskFloorTest {

    public static class UnreachableFloor implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("seg-gateway.scp.limits.min-free-disk", "1000000G");
        }
    }

    @TestHTTPResource("/dicomweb/studies")
    URI studies;
    @TempDir
    Path dir;

    @Test
    void everyPartIsRefusedWithOutOfResources() throws Exception {
        SyntheticSeries.Written ct = SyntheticSeries.ct().size(16, 16, 2).write(dir.resolve("ct"));
        byte[] body = StowMultipart.body(List.of(Part.dicom(Files.readAllBytes(ct.files().get(0))),
                Part.dicom(Files.readAllBytes(ct.files().get(1)))), true);

        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(studies)
                .header("Content-Type", StowMultipart.CONTENT_TYPE)
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString("operator:test-operator".getBytes(StandardCharsets.UTF_8)))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());

        assertThat(r.statusCode()).as(r.body()).isEqualTo(409);
        JsonNode failed = new ObjectMapper().readTree(r.body()).at("/00081198/Value");
        assertThat(failed.size()).isEqualTo(2);
        failed.forEach(item -> assertThat(item.at("/00081197/Value/0").asInt()).isEqualTo(0xA700));
    }
}
