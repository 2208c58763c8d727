package org.seggateway.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Volume;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** helm template with ci/gpu-cluster-values.yaml: three gateways, four GPU workers, secrets, models from an image. */
class ChartGpuClusterTest {
    static final List<String> SECRET_VALUES = List.of("db-secret-from-ci-values", "oidc-client-secret",
            "a-32-character-or-longer-session-key", "p12-unlock-phrase");
    static Rendered r;

    @BeforeAll
    static void render() {
        r = new Rendered(Chart.render(Chart.values("gpu-cluster-values.yaml")));
    }

    @Test
    void replicasComeFromTheValues() {
        assertThat(r.gateways().getSpec().getReplicas()).isEqualTo(3);
        assertThat(r.workers().getSpec().getReplicas()).isEqualTo(4);
        // partitions >= workers, or some workers idle
        assertThat(Integer.parseInt(r.applicationProperties().getProperty("seg-gateway.queue.partitions"))).isGreaterThanOrEqualTo(4);
    }

    @Test
    void secretHoldsThePasswordsAndTheConfigMapNone() {
        assertThat(decoded("database-password")).isEqualTo("db-secret-from-ci-values");
        assertThat(decoded("QUARKUS_OIDC_CREDENTIALS_SECRET")).isEqualTo("oidc-client-secret");
        for (ConfigMap cm : r.all(ConfigMap.class))
            for (String text : cm.getData().values())
                assertThat(text).doesNotContain(SECRET_VALUES);
        // the ConfigMap names the secret by reference; the gateway gets it from the Secret
        assertThat(r.applicationProperties().getProperty("seg-gateway.scp.tls.key-store-password")).isEqualTo("${DICOM_KEY_STORE_PASSWORD}");
        EnvVar fromSecret = env(r.gateway(), "DICOM_KEY_STORE_PASSWORD");
        assertThat(fromSecret.getValue()).isNull();
        assertThat(fromSecret.getValueFrom().getSecretKeyRef().getName()).isEqualTo(r.secret().getMetadata().getName());
        assertThat(r.secret().getData()).containsKey(fromSecret.getValueFrom().getSecretKeyRef().getKey());
        // and no container carries a secret in plain text
        for (Container c : containers())
            for (EnvVar e : c.getEnv())
                assertThat(e.getValue() == null ? "" : e.getValue()).doesNotContain(SECRET_VALUES);
    }

    @Test
    void secretFilesAreMountedWhereTheConfigurationLooks() {
        Properties p = r.applicationProperties();
        String keyStore = p.getProperty("seg-gateway.scp.tls.key-store");
        String dir = Rendered.mountPath(r.gateway(), "secret-files");
        assertThat(keyStore).startsWith(dir + "/");
        Volume files = volume(r.gateways().getSpec().getTemplate().getSpec(), "secret-files");
        assertThat(files.getSecret().getItems()).anyMatch(i -> i.getKey().equals("dicom-key.p12") && (dir + "/" + i.getPath()).equals(keyStore));
        assertThat(r.secret().getData()).containsKey("dicom-key.p12");
    }

    @Test
    void everyWorkerHasOneGpuOnAGpuNode() {
        PodSpec pod = r.workers().getSpec().getTemplate().getSpec();
        Container w = r.worker();
        assertThat(w.getResources().getLimits()).containsEntry("nvidia.com/gpu", new Quantity("1"));
        assertThat(w.getArgs()).contains("--provider=cuda", "--device=0", "--cuda=12",
                "--bootstrap-servers=kafka-0.kafka:9093,kafka-1.kafka:9093,kafka-2.kafka:9093");
        assertThat(pod.getNodeSelector()).containsEntry("nvidia.com/gpu.present", "true");
        assertThat(pod.getRuntimeClassName()).isEqualTo("nvidia");
        assertThat(r.workers().getSpec().getStrategy().getRollingUpdate().getMaxSurge().getIntVal()).isZero();
    }

    @Test
    void modelsComeFromTheModelsImageIntoEveryPod() {
        for (PodSpec pod : List.of(r.gateways().getSpec().getTemplate().getSpec(), r.workers().getSpec().getTemplate().getSpec())) {
            Container init = pod.getInitContainers().getFirst();
            assertThat(init.getImage()).isEqualTo("registry.hospital.local/imaging/seg-models:2026.11");
            assertThat(volume(pod, "models").getEmptyDir()).isNotNull();
            assertThat(Rendered.mountPath(init, "models")).isEqualTo(Rendered.mountPath(pod.getContainers().getFirst(), "models"));
        }
        assertThat(r.all(io.fabric8.kubernetes.api.model.PersistentVolumeClaim.class)).extracting(c -> c.getMetadata().getName())
                .containsExactly("seg-seg-gateway-spool");
    }

    @Test
    void sharedSpoolAndImageFromTheValues() {
        assertThat(r.claim("-spool").getSpec().getAccessModes()).containsExactly("ReadWriteMany");
        assertThat(r.claim("-spool").getSpec().getStorageClassName()).isEqualTo("nfs-imaging");
        assertThat(r.gateway().getImage()).isEqualTo("registry.hospital.local/imaging/seg-gateway:0.1.0-cuda12");
        assertThat(r.worker().getImage()).isEqualTo(r.gateway().getImage());
        assertThat(r.service("-dicom").getSpec().getLoadBalancerIP()).isEqualTo("10.20.30.40");
        assertThat(r.applicationProperties().getProperty("seg-gateway.scp.ae-title")).isEqualTo("SEGGW");
    }

    private static String decoded(String key) {
        return new String(Base64.getDecoder().decode(r.secret().getData().get(key)), StandardCharsets.UTF_8);
    }

    private static List<Container> containers() {
        List<Container> all = new java.util.ArrayList<>();
        for (PodSpec pod : List.of(r.gateways().getSpec().getTemplate().getSpec(), r.workers().getSpec().getTemplate().getSpec())) {
            all.addAll(pod.getContainers());
            all.addAll(pod.getInitContainers());
        }
        return all;
    }

    static EnvVar env(Container c, String name) {
        return c.getEnv().stream().filter(e -> e.getName().equals(name)).findFirst().orElseThrow();
    }

    static Volume volume(PodSpec pod, String name) {
        return pod.getVolumes().stream().filter(v -> v.getName().equals(name)).findFirst().orElseThrow();
    }
}
