package org.seggateway.gateway.listener;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.seggateway.dicomio.synthetic.SyntheticSeries;
import org.seggateway.dicomio.testing.Dcmtk;
import org.seggateway.gateway.config.GatewayConfig;

/**
 * {@code seg-gateway.scp.tls.*}: the listener speaks DICOM TLS to DCMTK {@code echoscu}/{@code storescu +tls} with a
 * client certificate it trusts, and refuses one without a certificate and plain TCP.
 */
@QuarkusTest
@TestProfile(TlsListenerProfile.class)
class TlsListenerTest {
    @Inject
    DicomListener listener;
    @Inject
    DataSource dataSource;
    @TempDir
    Path dir;

    @Test
    void storescuWithATrustedClientCertificateStoresAndWithoutOneOrOverPlainTcpIsRefused() throws Exception {
        SyntheticSeries.Written ct = SyntheticSeries.ct().size(16, 16, 2).write(dir.resolve("ct"));
        Dcmtk.Result tls = Dcmtk.run(Duration.ofSeconds(60), tlsCommand("storescu",
                List.of("+tls", key("ct01.key"), key("ct01.pem"), "+cf", key("gateway.pem")), ct.files()));
        assertThat(tls.exitCode()).as(tls.output()).isZero();
        assertThat(tls.output()).doesNotContain("Store Failed");
        assertThat(storedInstances(ct.sopInstanceUids())).as("instances the gateway recorded").isEqualTo(2);

        SyntheticSeries.Written other = SyntheticSeries.ct().size(16, 16, 1).write(dir.resolve("other"));
        Dcmtk.Result anonymous = Dcmtk.run(Duration.ofSeconds(60), tlsCommand("storescu",
                List.of("+tla", "+cf", key("gateway.pem")), other.files()));
        assertThat(anonymous.exitCode()).as(anonymous.output()).isNotZero();
        assertThat(anonymous.output()).contains("Association Request Failed");
        Dcmtk.Result plain = Dcmtk.echoscu("MODALITY", "SEGGATEWAY", listener.port());
        assertThat(plain.exitCode()).isNotZero();
        assertThat(storedInstances(other.sopInstanceUids())).isZero();
    }

    private List<String> tlsCommand(String tool, List<String> tlsOptions, List<Path> files) {
        List<String> cmd = new ArrayList<>(List.of(tool, "-aet", "MODALITY", "-aec", "SEGGATEWAY"));
        cmd.addAll(tlsOptions);
        cmd.addAll(List.of("127.0.0.1", Integer.toString(listener.port())));
        files.forEach(f -> cmd.add(f.toString()));
        return cmd;
    }

    private static String key(String name) {
        return TlsListenerProfile.KEYS.resolve(name).toString();
    }

    private int storedInstances(List<String> sopInstanceUids) throws Exception {
        try (Connection c = dataSource.getConnection();
             PreparedStatement s = c.prepareStatement("select count(*) from instances where sop_instance_uid = any (?)")) {
            s.setArray(1, c.createArrayOf("text", sopInstanceUids.toArray()));
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
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
