package org.seggateway.gateway.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.seggateway.gateway.config.GatewayConfig;
import org.seggateway.gateway.config.TestConfigs;

/** HL7 receivers and FHIR servers the gateway could never reach stop the start with the key to fix. */
class ResultMessagesConfigurationTest {

    @Test
    void readsAnHl7ReceiverAndAFhirServerWithTheirDefaults() {
        GatewayConfig config = TestConfigs.validatedGatewayConfig(with(Map.of(
                "seg-gateway.hl7.ris.host", "ris.local", "seg-gateway.hl7.ris.port", "2575",
                "seg-gateway.fhir.ehr.url", "https://ehr.local/fhir", "seg-gateway.fhir.ehr.bearer-token", "t0k")));
        GatewayConfig.Hl7Receiver ris = config.hl7().get("ris");
        assertThat(ris.sendingApplication()).isEqualTo("SEG_GATEWAY");
        assertThat(ris.receivingApplication()).isEqualTo("RIS");
        assertThat(ris.processingId()).isEqualTo("P");
        assertThat(ris.timeout()).hasSeconds(30);
        assertThat(config.fhir().get("ehr").bearerToken()).contains("t0k");
        assertThat(new ResultNotifications(new NotificationRepository(), config).any()).isTrue();
    }

    @Test
    void refusesAnHl7PortOutOfRangeABadProcessingIdAndAFhirUrlThatIsNotHttp() {
        assertThatThrownBy(() -> TestConfigs.validatedGatewayConfig(with(Map.of(
                "seg-gateway.hl7.ris.host", "ris.local", "seg-gateway.hl7.ris.port", "70000",
                "seg-gateway.hl7.ris.processing-id", "X"))))
                .hasMessageContaining("seg-gateway.hl7.ris.port").hasMessageContaining("seg-gateway.hl7.ris.processing-id");
        GatewayConfig ftp = TestConfigs.gatewayConfig(with(Map.of("seg-gateway.fhir.ehr.url", "ftp://ehr.local/fhir")));
        assertThatThrownBy(() -> new ResultNotifications(new NotificationRepository(), ftp))
                .hasMessageContaining("seg-gateway.fhir.ehr.url must be an http or https URL with a host");
    }

    private static Map<String, String> with(Map<String, String> properties) {
        Map<String, String> all = new HashMap<>(properties);
        all.put("seg-gateway.spool", "/tmp/spool");
        return all;
    }
}
