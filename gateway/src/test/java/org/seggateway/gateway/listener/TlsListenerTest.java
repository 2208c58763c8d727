package org.seggateway.gateway.listener;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.seggateway.dicomio.testing.Dcmtk;
import org.seggateway.gateway.config.GatewayConfig;

/** {@code seg-gateway.scp.tls.*}: the listener speaks DICOM TLS to DCMTK {@code echoscu +tls}, and plain TCP not. */
@QuarkusTest
@TestProfile(TlsListenerProfile.class)
class TlsListenerTest {
    @Inject
    DicomListener listener;

    @Test
    void echoscuOverTlsIsAnsweredAndPlainTcpIsNot() throws Exception {
        Dcmtk.Result tls = Dcmtk.run(Duration.ofSeconds(30), List.of("echoscu", "-aet", "MODALITY", "-aec",
                "SEGGATEWAY", "+tla", "+cf", TlsListenerProfile.KEYS.resolve("gateway.pem").toString(), "127.0.0.1",
                Integer.toString(listener.port())));
        assertThat(tls.exitCode()).as(tls.output()).isZero();
        Dcmtk.Result plain = Dcmtk.echoscu("MODALITY", "SEGGATEWAY", listener.port());
        assertThat(plain.exitCode()).isNotZero();
    }

    @Test
    void tlsSettingsMissingAStoreFailWithTheKeyToSet() {
        assertThatThrownBy(() -> ScpSettings.tls(settings(true, Optional.empty(), false, Optional.empty())))
                .hasMessage("seg-gateway.scp.tls.enabled=true needs seg-gateway.scp.tls.key-store");
        assertThatThrownBy(() -> ScpSettings.tls(settings(true, Optional.of(Path.of("k.p12")), true, Optional.empty())))
                .hasMessage("seg-gateway.scp.tls.require-client-certificate=true needs seg-gateway.scp.tls.trust-store");
        assertThat(ScpSettings.tls(settings(false, Optional.empty(), false, Optional.empty()))).isNull();
    }

    private static GatewayConfig.ScpTls settings(boolean enabled, Optional<Path> keyStore, boolean requireClient,
                                                 Optional<Path> trustStore) {
        return new GatewayConfig.ScpTls() {
            @Override public boolean enabled() { return enabled; }
            @Override public Optional<Path> keyStore() { return keyStore; }
            @Override public Optional<String> keyStorePassword() { return Optional.of("secret"); }
            @Override public Optional<Path> trustStore() { return trustStore; }
            @Override public Optional<String> trustStorePassword() { return Optional.empty(); }
            @Override public boolean requireClientCertificate() { return requireClient; }
        };
    }
}
