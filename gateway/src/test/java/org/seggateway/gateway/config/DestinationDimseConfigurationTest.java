package org.seggateway.gateway.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.smallrye.config.ConfigValidationException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.seggateway.dicomio.net.StoreTransferSyntaxes;

/** {@code seg-gateway.destinations.NAME.transfer-syntaxes} and {@code .tls.*}, checked when the configuration is loaded. */
class DestinationDimseConfigurationTest {
    @TempDir
    Path dir;

    private Map<String, String> pacs() {
        Map<String, String> p = new HashMap<>();
        p.put("seg-gateway.spool", dir.resolve("spool").toString());
        p.put("seg-gateway.destinations.pacs.host", "pacs.local");
        p.put("seg-gateway.destinations.pacs.port", "104");
        p.put("seg-gateway.destinations.pacs.ae-title", "PACS");
        return p;
    }

    @Test
    void byDefaultExplicitThenImplicitAndNoTls() {
        GatewayConfig.Destination d = TestConfigs.validatedGatewayConfig(pacs()).destinations().get("pacs");
        assertThat(d.transferSyntaxes()).isEqualTo(StoreTransferSyntaxes.DEFAULT);
        assertThat(d.tls().enabled()).isFalse();
        assertThat(d.tls().verifyHostName()).isTrue();
    }

    @Test
    void deflatedFirstAndTlsWithReadableStoresPass() throws Exception {
        Map<String, String> p = pacs();
        p.put("seg-gateway.destinations.pacs.transfer-syntaxes", "1.2.840.10008.1.2.1.99, 1.2.840.10008.1.2.1");
        p.put("seg-gateway.destinations.pacs.tls.enabled", "true");
        p.put("seg-gateway.destinations.pacs.tls.trust-store", Files.createFile(dir.resolve("trust.p12")).toString());
        p.put("seg-gateway.destinations.pacs.tls.key-store", Files.createFile(dir.resolve("key.p12")).toString());
        p.put("seg-gateway.destinations.pacs.tls.key-store-password", "secret");
        GatewayConfig.Destination d = TestConfigs.validatedGatewayConfig(p).destinations().get("pacs");
        assertThat(StoreTransferSyntaxes.writable(d.transferSyntaxes()))
                .containsExactly(StoreTransferSyntaxes.DEFLATED_EXPLICIT_VR_LITTLE_ENDIAN, StoreTransferSyntaxes.EXPLICIT_VR_LITTLE_ENDIAN);
    }

    @Test
    void onlyJpeg2000AndTlsWithoutWhatItNeedsRefuseTheStartNamingEachKey() {
        Map<String, String> p = pacs();
        p.put("seg-gateway.destinations.pacs.transfer-syntaxes", "1.2.840.10008.1.2.4.90");
        p.put("seg-gateway.destinations.pacs.tls.enabled", "true");
        p.put("seg-gateway.destinations.pacs.tls.key-store", dir.resolve("missing.p12").toString());
        p.put("seg-gateway.destinations.pacs.tls.trust-store", dir.resolve("missing-trust.p12").toString());

        assertThatThrownBy(() -> TestConfigs.validatedGatewayConfig(p)).isInstanceOf(ConfigValidationException.class)
                .satisfies(e -> assertThat(problems((ConfigValidationException) e)).containsExactlyInAnyOrder(
                        "seg-gateway destinations.pacs.transfer-syntaxes lists none of the transfer syntaxes the gateway can "
                                + "write the SEG in: [1.2.840.10008.1.2 (Implicit VR Little Endian), 1.2.840.10008.1.2.1 "
                                + "(Explicit VR Little Endian), 1.2.840.10008.1.2.1.99 (Deflated Explicit VR Little Endian)]",
                        "seg-gateway destinations.pacs.tls.key-store-password is needed with seg-gateway.destinations.pacs.tls.key-store",
                        "seg-gateway destinations.pacs.tls.key-store names " + dir.resolve("missing.p12") + ", which cannot be read",
                        "seg-gateway destinations.pacs.tls.trust-store names " + dir.resolve("missing-trust.p12")
                                + ", which cannot be read"));
    }

    @Test
    void tlsSettingsOfADisabledTlsGroupAreNotChecked() {
        Map<String, String> p = pacs();
        p.put("seg-gateway.destinations.pacs.tls.key-store", dir.resolve("missing.p12").toString());
        assertThat(ConfigurationCrossChecks.problems(TestConfigs.gatewayConfig(p))).isEmpty();
    }

    private static List<String> problems(ConfigValidationException e) {
        return IntStream.range(0, e.getProblemCount()).mapToObj(i -> e.getProblem(i).getMessage()).toList();
    }
}
