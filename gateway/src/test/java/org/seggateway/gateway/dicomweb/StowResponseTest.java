package org.seggateway.gateway.dicomweb;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class StowResponseTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void allStoredIs200WithReferencedSopSequenceOnly() throws Exception {
        StowResponse r = new StowResponse();
        r.add(StowResponse.Outcome.stored(1, "1.2.840.10008.5.1.4.1.1.2", "1.2.3.1"));
        r.add(StowResponse.Outcome.stored(2, "1.2.840.10008.5.1.4.1.1.2", "1.2.3.2"));
        JsonNode body = JSON.valueToTree(r.body());
        assertThat(r.httpStatus()).isEqualTo(200);
        assertThat(body.has("00081198")).isFalse();
        assertThat(body.at("/00081199/vr").asText()).isEqualTo("SQ");
        assertThat(body.at("/00081199/Value/1/00081155/Value/0").asText()).isEqualTo("1.2.3.2");
        assertThat(body.at("/00081199/Value/0/00081150/vr").asText()).isEqualTo("UI");
    }

    @Test
    void someFailedIs202WithAFailureReasonPerRefusedInstance() {
        StowResponse r = new StowResponse();
        r.add(StowResponse.Outcome.stored(1, "1.2.840.10008.5.1.4.1.1.2", "1.2.3.1"));
        r.add(StowResponse.Outcome.failed(2, "1.2.840.10008.5.1.4.1.1.2", "1.2.3.2", 0xA900, "short pixel data"));
        r.add(StowResponse.Outcome.failed(3, null, null, 0xC000, "not application/dicom"));
        JsonNode body = JSON.valueToTree(r.body());
        assertThat(r.httpStatus()).isEqualTo(202);
        assertThat(body.at("/00081198/Value").size()).isEqualTo(2);
        assertThat(body.at("/00081198/Value/0/00081197/vr").asText()).isEqualTo("US");
        assertThat(body.at("/00081198/Value/0/00081197/Value/0").asInt()).isEqualTo(0xA900);
        assertThat(body.at("/00081198/Value/0/00081155/Value/0").asText()).isEqualTo("1.2.3.2");
        assertThat(body.at("/00081198/Value/1/00081197/Value/0").asInt()).isEqualTo(0xC000);
        assertThat(body.at("/00081198/Value/1").has("00081155")).isFalse();
        assertThat(body.at("/00081199/Value").size()).isEqualTo(1);
    }

    @Test
    void noneStoredIs409() {
        StowResponse r = new StowResponse();
        r.add(StowResponse.Outcome.failed(1, null, null, 0xA700, "too large"));
        assertThat(r.httpStatus()).isEqualTo(409);
        assertThat(JSON.valueToTree(r.body()).has("00081199")).isFalse();
    }

    @Test
    void mediaTypeParametersAreReadQuotedOrNot() {
        StowMediaType t = StowMediaType.parse("Multipart/Related; type=\"application/dicom\"; boundary=\"a;b=c\"");
        assertThat(t.isDicomMultipart()).isTrue();
        assertThat(t.parameter("boundary")).isEqualTo("a;b=c");
        assertThat(StowMediaType.parse("multipart/related; type=application/dicom+xml; boundary=x").isDicomMultipart()).isFalse();
        assertThat(StowMediaType.parse("application/json").isDicomMultipart()).isFalse();
        assertThat(StowMediaType.parse("application/dicom; transfer-syntax=1.2.840.10008.1.2.1").isDicom()).isTrue();
    }
}
