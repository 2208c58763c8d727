package org.seggateway.deploy;

import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Values the gateway would refuse at start (or that would lose data) stop the rendering with the reason. */
class ChartRefusalsTest {
    @Test
    void severalGatewaysOnAReadWriteOnceSpool() {
        assertThatThrownBy(() -> Chart.template(Chart.DIR, null, Map.of("gateway.replicas", 3, "spool.accessMode", "ReadWriteOnce")))
                .hasMessageContaining("use ReadWriteMany");
    }

    @Test
    void plainHttpWithoutSayingThatAProxyDoesTls() {
        assertThatThrownBy(() -> Chart.template(Chart.DIR, null, Map.of("gateway.http.tls.secretName", "")))
                .hasMessageContaining("gateway.http.plainBehindProxy");
    }

    @Test
    void modelsImageWithoutRepository() {
        assertThatThrownBy(() -> Chart.template(Chart.DIR, null, Map.of("models.source", "image")))
                .hasMessageContaining("models.image.repository");
    }

    @Test
    void unknownWorkerProviderOrModelSource() {
        assertThatThrownBy(() -> Chart.template(Chart.DIR, null, Map.of("worker.provider", "gpu")))
                .hasMessageContaining("/worker/provider").hasMessageContaining("'cuda', 'auto', 'cpu'");
        assertThatThrownBy(() -> Chart.template(Chart.DIR, null, Map.of("models.source", "nfs")))
                .hasMessageContaining("/models/source");
    }

    @Test
    void aSecretWrittenIntoTheConfigurationIsRefused() {
        assertThatThrownBy(() -> Chart.template(Chart.DIR, null, Map.of("config.properties",
                "seg-gateway.scp.tls.key-store-password=changeit\n")))
                .hasMessageContaining("seg-gateway.scp.tls.key-store-password").hasMessageContaining("secrets.env");
        assertThatThrownBy(() -> Chart.template(Chart.DIR, null, Map.of("config.properties",
                "quarkus.oidc.credentials.secret = s3cr3t\n")))
                .hasMessageContaining("quarkus.oidc.credentials.secret");
        // references to the environment and bcrypt hashes are fine
        String yaml = Chart.template(Chart.DIR, null, Map.of("config.properties",
                "seg-gateway.scp.tls.key-store-password=${KS_PASSWORD}\nseg-gateway.users.alice.password-hash=$2a$12$abc\n# token=comment\n"));
        assertThat(yaml).contains("seg-gateway.scp.tls.key-store-password=${KS_PASSWORD}");
    }

    @Test
    void aKeyTheChartSetsIsNotTakenFromConfigProperties() {
        assertThatThrownBy(() -> Chart.template(Chart.DIR, null, Map.of("config.properties", "seg-gateway.spool=/data\n")))
                .hasMessageContaining("config.properties sets seg-gateway.spool");
    }

    @Test
    void misspeltValueIsRefusedByTheSchema() {
        // helm itself ignores unknown values; values.schema.json (additionalProperties false) makes them an error
        assertThatThrownBy(() -> Chart.template(Chart.DIR, null, Map.of("worker.replica", 4)))
                .hasMessageContaining("/worker").hasMessageContaining("replica");
        assertThatThrownBy(() -> Chart.template(Chart.DIR, null, Map.of("gateway.aeTitle", "A_TITLE_LONGER_THAN_16")))
                .hasMessageContaining("/gateway/aeTitle");
        assertThatThrownBy(() -> Chart.template(Chart.DIR, null, Map.of("dicomService.type", "Loadbalancer")))
                .hasMessageContaining("/dicomService/type");
    }

    @Test
    void everyGatewayKeyTheChartWritesIsAConfigurationKey() throws Exception {
        // a renamed or misspelt key in the ConfigMap template would be ignored silently by the gateway
        String reference = Files.readString(Chart.DIR.resolve("../../../docs/configuration.md").normalize());
        String written = new Rendered(Chart.render(null)).config().getData().get("application.properties");
        String chartPart = written.substring(0, written.indexOf("# from the chart's values"));
        long checked = chartPart.lines().filter(l -> l.startsWith("seg-gateway.")).map(l -> l.substring(0, l.indexOf('=')))
                .peek(key -> assertThat(reference).as("docs/configuration.md documents %s", key).contains("`" + key + "`"))
                .count();
        assertThat(checked).isGreaterThanOrEqualTo(6);
    }
}
