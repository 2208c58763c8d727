package org.seggateway.gateway.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.seggateway.audit.AuditChain;

/** Fingerprints of configurations read by SmallRye Config from properties, as the gateway reads its own. */
class ConfigFingerprintTest {
    static final Map<String, String> BASE = Map.ofEntries(
            Map.entry("seg-gateway.spool", "/tmp/spool"),
            Map.entry("seg-gateway.routes.abdomen-ct.match.modalities", "CT"),
            Map.entry("seg-gateway.routes.abdomen-ct.models", "models/abdomen"),
            Map.entry("seg-gateway.routes.abdomen-ct.destinations", "pacs"),
            Map.entry("seg-gateway.destinations.pacs.host", "10.0.0.5"),
            Map.entry("seg-gateway.destinations.pacs.port", "104"),
            Map.entry("seg-gateway.destinations.pacs.ae-title", "PACS"),
            Map.entry("seg-gateway.webhooks.ris.url", "https://user:pw@ris.example.org/hook?token=abc"),
            Map.entry("seg-gateway.webhooks.ris.headers.\"Authorization\"", "Bearer secret-1"));

    @Test
    void theSameConfigurationHasTheSameFingerprint() {
        assertThat(fingerprint(Map.of()).sha256()).matches("[0-9a-f]{64}").isEqualTo(fingerprint(Map.of()).sha256());
        assertThat(fingerprint(Map.of()).items()).containsOnlyKeys("routes", "destinations", "webhooks");
        assertThat(fingerprint(Map.of()).items().get("routes")).containsOnlyKeys("abdomen-ct");
    }

    @Test
    void namesTheEntriesAddedRemovedAndChanged() {
        ConfigFingerprint before = fingerprint(Map.of());
        ConfigFingerprint after = fingerprint(Map.of(
                "seg-gateway.routes.abdomen-ct.quiet-time", "20s",
                "seg-gateway.routes.chest-ct.match.modalities", "CT",
                "seg-gateway.routes.chest-ct.models", "models/chest",
                "seg-gateway.routes.chest-ct.destinations", "pacs",
                "seg-gateway.destinations.pacs.port", "11112"));

        assertThat(after.sha256()).isNotEqualTo(before.sha256());
        assertThat(after.changesSince(before)).isEqualTo(Map.of(
                "routes", Map.of("added", List.of("chest-ct"), "removed", List.of(), "changed", List.of("abdomen-ct")),
                "destinations", Map.of("added", List.of(), "removed", List.of(), "changed", List.of("pacs"))));
        assertThat(before.changesSince(after).get("routes").get("removed")).containsExactly("chest-ct");
        assertThat(after.changesSince(after)).isEmpty();
    }

    @Test
    void secretsAreLeftOutButAHeaderNameOrTheUrlPathCounts() {
        String base = fingerprint(Map.of()).sha256();
        assertThat(fingerprint(Map.of("seg-gateway.webhooks.ris.headers.\"Authorization\"", "Bearer secret-2",
                "seg-gateway.webhooks.ris.url", "https://other:pw2@ris.example.org/hook?token=def")).sha256())
                .as("a rotated token").isEqualTo(base);
        assertThat(fingerprint(Map.of("seg-gateway.webhooks.ris.headers.\"X-Tenant\"", "a")).changesSince(fingerprint(Map.of())))
                .containsOnlyKeys("webhooks");
        assertThat(fingerprint(Map.of("seg-gateway.webhooks.ris.url", "https://ris.example.org/other")).sha256()).isNotEqualTo(base);
        assertThat(fingerprint(Map.of("seg-gateway.webhooks.ris.events", "failed")).sha256()).isNotEqualTo(base);
    }

    @Test
    void aDestinationsDimseSettingsCountOnlyWhenSetAndItsPasswordsNever() throws Exception {
        String pacs = fingerprint(Map.of()).items().get("destinations").get("pacs");
        Map<String, Object> fromBefore = new LinkedHashMap<>();
        fromBefore.put("host", "10.0.0.5");
        fromBefore.put("port", 104);
        fromBefore.put("aeTitle", "PACS");
        fromBefore.put("callingAeTitle", "SEGGATEWAY");
        assertThat(pacs).as("a destination without the settings keeps the fingerprint it had before them").isEqualTo(
                HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(
                        AuditChain.canonicalJson(fromBefore).getBytes(StandardCharsets.UTF_8))));
        assertThat(fingerprint(Map.of("seg-gateway.destinations.pacs.transfer-syntaxes", "1.2.840.10008.1.2.1,1.2.840.10008.1.2"))
                .items().get("destinations").get("pacs")).isEqualTo(pacs);

        ConfigFingerprint deflate = fingerprint(Map.of("seg-gateway.destinations.pacs.transfer-syntaxes", "1.2.840.10008.1.2.1.99"));
        assertThat(deflate.changesSince(fingerprint(Map.of()))).containsOnlyKeys("destinations");
        Map<String, String> tls = Map.of("seg-gateway.destinations.pacs.tls.enabled", "true",
                "seg-gateway.destinations.pacs.tls.key-store", "/etc/gw.p12", "seg-gateway.destinations.pacs.tls.key-store-password", "one");
        String withTls = fingerprint(tls).items().get("destinations").get("pacs");
        assertThat(withTls).isNotEqualTo(pacs);
        Map<String, String> rotated = new HashMap<>(tls);
        rotated.put("seg-gateway.destinations.pacs.tls.key-store-password", "two");
        assertThat(fingerprint(rotated).items().get("destinations").get("pacs")).as("a rotated password").isEqualTo(withTls);
    }

    @Test
    void aStowRsDestinationCountsByItsUrlAndAuthTypeNotItsToken() {
        Map<String, String> web = Map.of("seg-gateway.destinations.web.kind", "stow-rs",
                "seg-gateway.destinations.web.url", "https://pacs.example.org/dicom-web",
                "seg-gateway.destinations.web.auth.type", "bearer", "seg-gateway.destinations.web.auth.token", "token-1");
        String base = fingerprint(web).sha256();
        Map<String, String> rotated = new HashMap<>(web);
        rotated.put("seg-gateway.destinations.web.auth.token", "token-2");
        assertThat(fingerprint(rotated).sha256()).as("a rotated token").isEqualTo(base);
        Map<String, String> moved = new HashMap<>(web);
        moved.put("seg-gateway.destinations.web.url", "https://pacs2.example.org/dicom-web");
        assertThat(fingerprint(moved).changesSince(fingerprint(web)).get("destinations").get("changed")).containsExactly("web");
    }

    private static ConfigFingerprint fingerprint(Map<String, String> overrides) {
        Map<String, String> properties = new HashMap<>(BASE);
        properties.putAll(overrides);
        return ConfigFingerprint.of(TestConfigs.gatewayConfig(properties));
    }
}
