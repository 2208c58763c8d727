package org.seggateway.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.HTTPGetAction;
import io.fabric8.kubernetes.api.model.PodSpec;
import java.util.Properties;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** helm template with ci/cpu-only-values.yaml: one gateway, CPU workers, plain HTTP behind the hospital's TLS proxy. */
class ChartCpuOnlyTest {
    static Rendered r;

    @BeforeAll
    static void render() {
        r = new Rendered(Chart.render(Chart.values("cpu-only-values.yaml")));
    }

    @Test
    void workersRunOnTheCpuWithoutAskingForAGpu() {
        Container w = r.worker();
        PodSpec pod = r.workers().getSpec().getTemplate().getSpec();
        assertThat(w.getResources().getLimits()).doesNotContainKey("nvidia.com/gpu");
        assertThat(w.getResources().getRequests()).doesNotContainKey("nvidia.com/gpu");
        assertThat(w.getArgs()).contains("--provider=cpu").noneMatch(a -> a.startsWith("--device") || a.startsWith("--cuda"));
        assertThat(pod.getTolerations()).isEmpty();
        assertThat(pod.getRuntimeClassName()).isNull();
    }

    @Test
    void oneGatewayWithItsOwnSpool() {
        assertThat(r.gateways().getSpec().getReplicas()).isEqualTo(1);
        assertThat(r.claim("-spool").getSpec().getAccessModes()).containsExactly("ReadWriteOnce");
        // a budget of one for one gateway would block every node drain
        assertThat(r.all(io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget.class))
                .extracting(b -> b.getMetadata().getName()).containsExactly("seg-seg-gateway-worker");
    }

    @Test
    void plainHttpBehindTheProxyWithProbesOnIt() {
        Container gw = r.gateway();
        for (HTTPGetAction probe : new HTTPGetAction[] {gw.getReadinessProbe().getHttpGet(), gw.getLivenessProbe().getHttpGet()}) {
            assertThat(probe.getScheme()).isEqualTo("HTTP");
            assertThat(Rendered.port(gw, probe.getPort())).isEqualTo(8080);
        }
        Properties p = r.applicationProperties();
        assertThat(p.getProperty("seg-gateway.http.allow-plain-on-network")).isEqualTo("true");
        assertThat(p.stringPropertyNames()).noneMatch(k -> k.startsWith("quarkus.http.ssl"));
        assertThat(gw.getVolumeMounts()).noneMatch(m -> m.getName().equals("http-tls"));
        assertThat(Rendered.port(gw, r.service("-http").getSpec().getPorts().getFirst().getTargetPort())).isEqualTo(8080);
    }

    @Test
    void thePasswordIsInTheSecret() {
        assertThat(new String(java.util.Base64.getDecoder().decode(r.secret().getData().get("database-password"))))
                .isEqualTo("cpu-db-password");
        assertThat(r.config().getData().get("application.properties")).doesNotContain("cpu-db-password");
    }
}
