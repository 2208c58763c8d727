package org.seggateway.deploy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/** The chart in deploy/helm/seg-gateway, run through the real helm (helm-java's bundled library). */
final class Chart {
    static final String RELEASE = "seg";
    /** The oldest Kubernetes the chart claims (Chart.yaml kubeVersion); helm template otherwise assumes 1.20 */
    static final String KUBE_VERSION = "1.25.0";
    static final Path DIR = locate();

    private Chart() {}

    private static Path locate() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            Path chart = p.resolve("deploy/helm/seg-gateway");
            if (Files.isRegularFile(chart.resolve("Chart.yaml"))) return chart;
        }
        throw new IllegalStateException("deploy/helm/seg-gateway not found above " + Path.of("").toAbsolutePath());
    }

    static Path values(String name) {
        return DIR.resolve("ci").resolve(name);
    }

    /** helm template with the chart's values.yaml and, when given, one more values file. */
    static String template(Path chart, Path valuesFile) {
        return template(chart, valuesFile, Map.of());
    }

    /** helm template with a values file (or null) and --set values over it. */
    static String template(Path chart, Path valuesFile, Map<String, Object> set) {
        var command = new Helm(chart).template().withName(RELEASE).withNamespace("imaging").withKubeVersion(KUBE_VERSION);
        if (valuesFile != null) command.withValuesFile(valuesFile);
        set.forEach(command::set);
        return command.call();
    }

    static List<HasMetadata> render(Path valuesFile) {
        return StrictManifests.parse(template(DIR, valuesFile));
    }

    /**
     * helm lint --strict. helm-java's lint takes no values file, so the chart is copied and its values.yaml replaced by
     * the defaults with the given file merged over them, as helm merges them.
     */
    static LintResult lint(Path valuesFile, Path scratch) {
        if (valuesFile == null) return new Helm(DIR).lint().strict().call();
        Path copy = copy(DIR, scratch.resolve("seg-gateway"));
        try {
            ObjectMapper yaml = new ObjectMapper(new YAMLFactory());
            @SuppressWarnings("unchecked") Map<String, Object> merged = yaml.readValue(DIR.resolve("values.yaml").toFile(), Map.class);
            @SuppressWarnings("unchecked") Map<String, Object> over = yaml.readValue(valuesFile.toFile(), Map.class);
            yaml.writeValue(copy.resolve("values.yaml").toFile(), merge(merged, over));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new Helm(copy).lint().strict().call();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> merge(Map<String, Object> base, Map<String, Object> over) {
        Map<String, Object> out = new LinkedHashMap<>(base);
        over.forEach((k, v) -> out.merge(k, v, (a, b) -> a instanceof Map && b instanceof Map
                ? merge((Map<String, Object>) a, (Map<String, Object>) b) : b));
        return out;
    }

    /** A copy of a chart folder, to render a changed chart without touching the real one. */
    static Path copy(Path from, Path to) {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path f : files.toList()) {
                Path target = to.resolve(from.relativize(f).toString());
                if (Files.isDirectory(f)) Files.createDirectories(target);
                else Files.copy(f, target);
            }
            return to;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
