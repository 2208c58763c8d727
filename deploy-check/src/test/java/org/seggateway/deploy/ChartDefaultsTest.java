package org.seggateway.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HTTPGetAction;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** helm template with the default values: what a hospital gets before it sets anything. */
class ChartDefaultsTest {
    static Rendered r;

    @BeforeAll
    static void render() {
        r = new Rendered(Chart.render(null));
    }

    @Test
    void rendersTheExpectedObjects() {
        assertThat(r.all(StatefulSet.class)).hasSize(1);
        assertThat(r.all(Deployment.class)).hasSize(1);
        assertThat(r.all(ConfigMap.class)).hasSize(1);
        assertThat(r.all(Secret.class)).hasSize(1);
        assertThat(r.all(Service.class)).extracting(s -> s.getMetadata().getName())
                .containsExactlyInAnyOrder("seg-seg-gateway-dicom", "seg-seg-gateway-http", "seg-seg-gateway-gateway-pods");
        assertThat(r.all(PodDisruptionBudget.class)).hasSize(2);
        assertThat(r.all(PersistentVolumeClaim.class)).hasSize(2);
        assertThat(r.all(ServiceAccount.class)).hasSize(1);
    }

    @Test
    void gatewayProbesUseTheHealthEndpointsOverHttpsByDefault() {
        Container gw = r.gateway();
        HTTPGetAction ready = gw.getReadinessProbe().getHttpGet();
        HTTPGetAction live = gw.getLivenessProbe().getHttpGet();
        HTTPGetAction startup = gw.getStartupProbe().getHttpGet();
        assertThat(ready.getPath()).isEqualTo("/q/health/ready");
        assertThat(live.getPath()).isEqualTo("/q/health/live");
        assertThat(startup.getPath()).isEqualTo("/q/health/live");
        for (HTTPGetAction probe : new HTTPGetAction[] {ready, live, startup}) {
            assertThat(probe.getScheme()).isEqualTo("HTTPS");
            assertThat(Rendered.port(gw, probe.getPort())).isEqualTo(8443);
        }
        // the startup probe gives migrations time before liveness counts
        assertThat(gw.getStartupProbe().getFailureThreshold() * gw.getStartupProbe().getPeriodSeconds()).isGreaterThanOrEqualTo(300);
    }

    @Test
    void configurationMatchesWhatThePodsMountAndListenOn() {
        Container gw = r.gateway();
        Properties p = r.applicationProperties();
        assertThat(p.getProperty("seg-gateway.spool")).isEqualTo(Rendered.mountPath(gw, "spool"));
        assertThat(p.getProperty("seg-gateway.model-root")).isEqualTo(Rendered.mountPath(gw, "models"));
        assertThat(Integer.parseInt(p.getProperty("seg-gateway.scp.port"))).isEqualTo(Rendered.port(gw, new io.fabric8.kubernetes.api.model.IntOrString("dicom")));
        assertThat(Integer.parseInt(p.getProperty("quarkus.http.ssl-port"))).isEqualTo(8443);
        assertThat(p.getProperty("quarkus.http.insecure-requests")).isEqualTo("disabled");
        assertThat(p.getProperty("quarkus.http.ssl.certificate.files")).startsWith(Rendered.mountPath(gw, "http-tls") + "/");
        assertThat(p.getProperty("quarkus.http.host")).isEqualTo("0.0.0.0");
        assertThat(p.getProperty("seg-gateway.scp.bind-address")).isEqualTo("0.0.0.0");
        assertThat(p.getProperty("kafka.bootstrap.servers")).isEqualTo("kafka.hospital.local:9092");
        assertThat(p.getProperty("seg-gateway.queue.replication-factor")).isEqualTo("3");
        // the config folder is config/ of the working folder, where Quarkus reads application.properties
        assertThat(Rendered.mountPath(gw, "config")).isEqualTo(gw.getWorkingDir() + "/config");
        // each gateway its own transactional id: its pod name
        assertThat(gw.getEnv()).filteredOn(e -> e.getName().equals("SEG_GATEWAY_QUEUE_TRANSACTIONAL_ID"))
                .extracting(EnvVar::getValue).containsExactly("$(POD_NAME)");
    }

    @Test
    void workerAsksForOneGpuAndUsesIt() {
        Container w = r.worker();
        assertThat(w.getResources().getLimits()).containsEntry("nvidia.com/gpu", new Quantity("1"));
        assertThat(w.getResources().getRequests()).containsEntry("nvidia.com/gpu", new Quantity("1"));
        assertThat(w.getArgs()).startsWith("worker").contains("--provider=cuda", "--device=0",
                "--bootstrap-servers=kafka.hospital.local:9092", "--models=" + Rendered.mountPath(w, "models"));
        assertThat(r.workers().getSpec().getTemplate().getSpec().getTolerations())
                .anyMatch(t -> t.getKey().equals("nvidia.com/gpu") && t.getEffect().equals("NoSchedule"));
        assertThat(r.workers().getSpec().getReplicas()).isEqualTo(2);
        // a running job may finish: the grace period exceeds the worker's shutdown timeout
        assertThat(r.workers().getSpec().getTemplate().getSpec().getTerminationGracePeriodSeconds()).isGreaterThan(120);
    }

    @Test
    void servicesOfferDicomOn104AndHttpsOn443() {
        Container gw = r.gateway();
        ServicePort dicom = r.service("-dicom").getSpec().getPorts().getFirst();
        assertThat(dicom.getPort()).isEqualTo(104);
        assertThat(Rendered.port(gw, dicom.getTargetPort())).isEqualTo(11112);
        assertThat(r.service("-dicom").getSpec().getType()).isEqualTo("LoadBalancer");
        assertThat(r.service("-dicom").getSpec().getExternalTrafficPolicy()).isEqualTo("Local");
        ServicePort http = r.service("-http").getSpec().getPorts().getFirst();
        assertThat(http.getPort()).isEqualTo(443);
        assertThat(Rendered.port(gw, http.getTargetPort())).isEqualTo(8443);
        Map<String, String> podLabels = r.gateways().getSpec().getTemplate().getMetadata().getLabels();
        assertThat(podLabels).containsAllEntriesOf(r.service("-dicom").getSpec().getSelector());
        assertThat(podLabels).containsAllEntriesOf(r.service("-http").getSpec().getSelector());
    }

    @Test
    void disruptionBudgetsSelectTheirOwnPods() {
        Map<String, String> gatewayPods = r.gateways().getSpec().getTemplate().getMetadata().getLabels();
        Map<String, String> workerPods = r.workers().getSpec().getTemplate().getMetadata().getLabels();
        Map<String, String> gatewayPdb = r.pdb("-gateway").getSpec().getSelector().getMatchLabels();
        assertThat(gatewayPods).containsAllEntriesOf(gatewayPdb);
        assertThat(workerPods).doesNotContainEntry("app.kubernetes.io/component", gatewayPdb.get("app.kubernetes.io/component"));
        assertThat(r.pdb("-gateway").getSpec().getMinAvailable().getIntVal()).isEqualTo(1);
        assertThat(workerPods).containsAllEntriesOf(r.pdb("-worker").getSpec().getSelector().getMatchLabels());
        assertThat(gatewayPods).doesNotContainEntry("app.kubernetes.io/component", "worker");
    }

    @Test
    void twoGatewaysShareOneReadWriteManySpool() {
        assertThat(r.gateways().getSpec().getReplicas()).isEqualTo(2);
        PersistentVolumeClaim spool = r.claim("-spool");
        assertThat(spool.getSpec().getAccessModes()).containsExactly("ReadWriteMany");
        assertThat(spool.getMetadata().getAnnotations()).containsEntry("helm.sh/resource-policy", "keep");
        assertThat(r.gateways().getSpec().getTemplate().getSpec().getVolumes())
                .anyMatch(v -> v.getName().equals("spool") && v.getPersistentVolumeClaim().getClaimName().equals("seg-seg-gateway-spool"));
        assertThat(r.claim("-models").getSpec().getAccessModes()).containsExactly("ReadOnlyMany");
    }

    @Test
    void noPasswordByDefaultAndTheGatewayReadsItFromTheSecret() {
        assertThat(r.secret().getData() == null ? Map.of() : r.secret().getData()).doesNotContainKey("database-password");
        EnvVar password = r.gateway().getEnv().stream().filter(e -> e.getName().equals("QUARKUS_DATASOURCE_PASSWORD")).findFirst().orElseThrow();
        assertThat(password.getValueFrom().getSecretKeyRef().getName()).isEqualTo(r.secret().getMetadata().getName());
        assertThat(password.getValueFrom().getSecretKeyRef().getKey()).isEqualTo("database-password");
        assertThat(r.applicationProperties().stringPropertyNames()).noneMatch(k -> k.contains("password"));
    }
}
