package org.seggateway.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.Service;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The strict parse catches what helm itself lets through: fields Kubernetes does not know. */
class StrictManifestsTest {
    @TempDir
    Path scratch;

    @Test
    void misspeltProbeFieldInATemplateIsCaught() {
        Path broken = Chart.copy(Chart.DIR, scratch.resolve("seg-gateway"));
        Edits.replace(broken.resolve("templates/gateway-statefulset.yaml"), "readinessProbe:", "readinesProbe:");
        String yaml = Chart.template(broken, null); // helm renders it without complaint
        assertThat(yaml).contains("readinesProbe:");
        assertThatThrownBy(() -> StrictManifests.parse(yaml))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("StatefulSet seg-seg-gateway-gateway")
                .hasMessageContaining("readinesProbe");
    }

    @Test
    void fieldAtTheWrongLevelIsCaught() {
        // nodeSelector belongs to the pod spec, not to the container
        Path broken = Chart.copy(Chart.DIR, scratch.resolve("seg-gateway"));
        Edits.replace(broken.resolve("templates/worker-deployment.yaml"), "          imagePullPolicy: {{ .Values.image.pullPolicy }}\n",
                "          imagePullPolicy: {{ .Values.image.pullPolicy }}\n          nodeSelector: {gpu: \"yes\"}\n");
        assertThatThrownBy(() -> StrictManifests.parse(Chart.template(broken, null)))
                .hasMessageContaining("Deployment seg-seg-gateway-worker").hasMessageContaining("nodeSelector");
    }

    @Test
    void theUnchangedCopyParses() {
        // the control for the two above: the copy alone does not break anything
        Path copy = Chart.copy(Chart.DIR, scratch.resolve("seg-gateway"));
        assertThat(StrictManifests.parse(Chart.template(copy, null))).isNotEmpty();
    }

    @Test
    void misspeltServiceFieldIsCaughtAndKnownOnesParse() {
        String good = """
                apiVersion: v1
                kind: Service
                metadata: {name: s}
                spec:
                  ports: [{name: dicom, port: 104, targetPort: dicom}]
                """;
        assertThat(((Service) StrictManifests.parse(good).getFirst()).getSpec().getPorts().getFirst().getPort()).isEqualTo(104);
        assertThatThrownBy(() -> StrictManifests.parse(good.replace("targetPort", "targetport")))
                .hasMessageContaining("targetport");
    }

    @Test
    void failOnUnknownPropertiesAloneWouldNotCatchIt() {
        // why StrictManifests switches the any-setter off: the model classes swallow unknown fields
        var lax = new com.fasterxml.jackson.databind.ObjectMapper(new com.fasterxml.jackson.dataformat.yaml.YAMLFactory())
                .configure(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, true);
        Service s = readLax(lax, "apiVersion: v1\nkind: Service\nmetadata: {name: s}\nspec:\n  prots: [{port: 104}]\n");
        assertThat(s.getSpec().getAdditionalProperties()).containsKey("prots");
    }

    private static Service readLax(com.fasterxml.jackson.databind.ObjectMapper lax, String yaml) {
        try {
            return lax.readValue(yaml, Service.class);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void wrongApiVersionAndUnexpectedKindAreCaught() {
        assertThatThrownBy(() -> StrictManifests.parse("apiVersion: policy/v1beta1\nkind: PodDisruptionBudget\nmetadata: {name: p}\n"))
                .hasMessageContaining("expected policy/v1");
        assertThatThrownBy(() -> StrictManifests.parse("apiVersion: v1\nkind: Pod\nmetadata: {name: p}\n"))
                .hasMessageContaining("kind 'Pod'");
    }
}
