package org.seggateway.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.marcnuri.helm.LintResult;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** helm lint --strict of the chart, with the default values and with each example values file. */
class ChartLintTest {
    @TempDir
    Path scratch;

    @Test
    void defaultValuesPassStrictLint() {
        assertPasses(Chart.lint(null, scratch));
    }

    @Test
    void gpuClusterValuesPassStrictLint() {
        assertPasses(Chart.lint(Chart.values("gpu-cluster-values.yaml"), scratch));
    }

    @Test
    void cpuOnlyValuesPassStrictLint() {
        assertPasses(Chart.lint(Chart.values("cpu-only-values.yaml"), scratch));
    }

    @Test
    void lintFailsOnATemplateError() {
        // the check itself: a broken template must not pass
        Path broken = Chart.copy(Chart.DIR, scratch.resolve("broken"));
        Edits.replace(broken.resolve("templates/configmap.yaml"), "{{ .Values.kafka.bootstrapServers }}", "{{ .Values.kafka.bootstrapServers ");
        LintResult result = new com.marcnuri.helm.Helm(broken).lint().strict().call();
        assertThat(result.isFailed()).isTrue();
        assertThat(String.join("\n", result.getMessages())).contains("configmap.yaml");
    }

    private static void assertPasses(LintResult result) {
        assertThat(result.isFailed()).as("helm lint --strict: %s", result.getMessages()).isFalse();
        assertThat(result.getMessages()).noneMatch(m -> m.contains("[ERROR]") || m.contains("[WARNING]"));
    }
}
