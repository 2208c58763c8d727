package org.seggateway.gateway.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * docs/configuration.md documents every key of {@link GatewayConfig} and no other {@code seg-gateway.*} key. Its part
 * between the markers is generated; regenerate it after a change to the mapping or its javadoc with
 * {@code ./mvnw -B -o -pl gateway -am verify -Dtest=ConfigurationReferenceTest -Dsurefire.failIfNoSpecifiedTests=false -DskipITs -Dconfiguration-reference.write=true}.
 */
class ConfigurationReferenceTest {
    private static final Path SOURCE = Path.of("src/main/java/org/seggateway/gateway/config/GatewayConfig.java");
    private static final Path DOCUMENT = Path.of("../docs/configuration.md");
    private static final Pattern KEY_IN_TEXT = Pattern.compile("`(seg-gateway\\.[^`=\\s]+)");

    private final ConfigurationReference reference = ConfigurationReference.of(Files.readString(SOURCE));

    ConfigurationReferenceTest() throws IOException {
    }

    @Test
    void theReferenceCoversEveryPropertyOfTheMapping() {
        List<String> declared = new ArrayList<>();
        properties(GatewayConfig.class, declared);
        List<String> parsed = new ArrayList<>();
        MappingJavadoc javadoc = MappingJavadoc.parse(read(SOURCE));
        javadoc.properties().forEach((type, methods) -> methods.keySet().forEach(m -> parsed.add(type + "." + m)));
        assertThat(parsed).as("properties read from the source").containsExactlyInAnyOrderElementsOf(declared);
        assertThat(reference.keys()).contains("seg-gateway.spool", "seg-gateway.scp.limits.max-instance-size",
                "seg-gateway.routes.NAME.match.modalities", "seg-gateway.queue.client.\"KEY\"");
    }

    @Test
    void theDocumentNamesEveryKeyAndNoOther() throws IOException {
        if (Boolean.getBoolean("configuration-reference.write")) Files.writeString(DOCUMENT, reference.into(read(DOCUMENT)));
        String document = read(DOCUMENT);
        assertThat(reference.keys()).as("keys of GatewayConfig missing from %s", DOCUMENT)
                .allSatisfy(key -> assertThat(document).contains("`" + key + "`"));
        List<Pattern> known = reference.keys().stream().map(ConfigurationReferenceTest::asPattern).toList();
        TreeSet<String> unknown = new TreeSet<>();
        Matcher m = KEY_IN_TEXT.matcher(document);
        while (m.find()) {
            String key = m.group(1);
            boolean isKey = known.stream().anyMatch(p -> p.matcher(key).matches());
            boolean isSection = reference.keys().stream().anyMatch(k -> k.startsWith(key + "."));
            if (!isKey && !isSection) unknown.add(key);
        }
        assertThat(unknown).as("keys named in %s that GatewayConfig does not have", DOCUMENT).isEmpty();
        assertThat(document).as("%s is up to date with GatewayConfig; regenerate it (see this test's javadoc)", DOCUMENT)
                .contains(reference.markdown());
    }

    /** A generated key with its NAME and "KEY" placeholders standing for any name. */
    private static Pattern asPattern(String key) {
        String regex = Pattern.quote(key).replace(".NAME.", "\\E\\.(?:[^.\"]+|\"[^\"]+\")\\.\\Q")
                .replace(".\"KEY\"", "\\E\\.\"[^\"]+\"\\Q");
        return Pattern.compile(regex);
    }

    private static void properties(Class<?> type, List<String> out) {
        for (Method m : type.getDeclaredMethods())
            if (Modifier.isAbstract(m.getModifiers())) out.add(type.getSimpleName() + "." + m.getName());
        for (Class<?> nested : type.getDeclaredClasses()) if (nested.isInterface() && !nested.isAnnotation()) properties(nested, out);
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
