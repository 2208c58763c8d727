package org.seggateway.gateway.notify;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.seggateway.gateway.config.GatewayConfig;
import org.seggateway.gateway.config.TestConfigs;

/** A webhook the gateway could never call, or an event it does not know, stops the start with the key to fix. */
class WebhookConfigurationTest {

    @Test
    void acceptsHttpAndHttpsWithKnownEvents() {
        assertThatCode(() -> notifications(TestConfigs.gatewayConfig(webhook(Map.of(
                "seg-gateway.webhooks.a.url", "http://ris.local:8080/hook",
                "seg-gateway.webhooks.b.url", "https://ris.local/hook",
                "seg-gateway.webhooks.b.events", "Failed, delivered"))))).doesNotThrowAnyException();
    }

    @Test
    void refusesAnUnknownEventAndAUrlThatIsNotHttp() {
        assertThatThrownBy(() -> notifications(TestConfigs.gatewayConfig(webhook(Map.of(
                "seg-gateway.webhooks.ris.url", "http://ris.local/hook", "seg-gateway.webhooks.ris.events", "delivered,stored")))))
                .hasMessageContaining("seg-gateway.webhooks.ris.events").hasMessageContaining("'stored'");
        assertThatThrownBy(() -> notifications(TestConfigs.gatewayConfig(webhook(Map.of(
                "seg-gateway.webhooks.ris.url", "ftp://ris.local/hook")))))
                .hasMessageContaining("seg-gateway.webhooks.ris.url must be an http or https URL");
    }

    private static DeliveryNotifications notifications(GatewayConfig config) {
        return new DeliveryNotifications(new NotificationRepository(), new ResultNotifications(new NotificationRepository(), config), config);
    }

    private static Map<String, String> webhook(Map<String, String> properties) {
        Map<String, String> all = new HashMap<>(properties);
        all.put("seg-gateway.spool", "/tmp/spool");
        return all;
    }
}
