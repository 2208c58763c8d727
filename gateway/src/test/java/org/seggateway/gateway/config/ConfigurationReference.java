package org.seggateway.gateway.config;

import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.config.WithDefault;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.Pattern;
import java.lang.annotation.Annotation;
import java.lang.reflect.AnnotatedParameterizedType;
import java.lang.reflect.AnnotatedType;
import java.lang.reflect.Method;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The reference of every {@code seg-gateway.*} key, generated from {@link GatewayConfig}: its structure, types,
 * defaults and constraints by reflection, its descriptions from the javadoc ({@link MappingJavadoc}). Written into
 * docs/configuration.md between {@link #BEGIN} and {@link #END}; the rest of that file is written by hand.
 */
final class ConfigurationReference {
    static final String BEGIN = "<!-- BEGIN generated from GatewayConfig: edit the javadoc there, then regenerate -->";
    static final String END = "<!-- END generated from GatewayConfig -->";

    /** One key of the reference. */
    record Key(String key, String type, String defaultValue, String allowed, String description) {
    }

    /** One table: the keys of a group, under its heading. */
    record Section(String name, String description, List<Key> keys) {
    }

    private final MappingJavadoc javadoc;
    private final List<Section> sections = new ArrayList<>();

    private ConfigurationReference(MappingJavadoc javadoc) {
        this.javadoc = javadoc;
        section("seg-gateway", GatewayConfig.class, "");
    }

    static ConfigurationReference of(String gatewayConfigSource) {
        return new ConfigurationReference(MappingJavadoc.parse(gatewayConfigSource));
    }

    List<Section> sections() {
        return sections;
    }

    List<String> keys() {
        return sections.stream().flatMap(s -> s.keys().stream()).map(Key::key).toList();
    }

    /** The generated part of docs/configuration.md, markers included. */
    String markdown() {
        StringBuilder out = new StringBuilder(BEGIN).append("\n");
        for (Section s : sections) {
            if (s.keys().isEmpty()) continue;
            out.append("\n### `").append(s.name()).append("`\n\n");
            if (!s.description().isEmpty()) out.append(s.description()).append("\n\n");
            out.append("| key | type | default | allowed | description |\n| --- | --- | --- | --- | --- |\n");
            for (Key k : s.keys())
                out.append("| `").append(k.key()).append("` | ").append(k.type()).append(" | ").append(k.defaultValue()).append(" | ")
                        .append(cell(k.allowed())).append(" | ").append(cell(k.description())).append(" |\n");
        }
        return out.append("\n").append(END).toString();
    }

    /** {@code document} with its generated part replaced by {@link #markdown()}. */
    String into(String document) {
        int begin = document.indexOf(BEGIN), end = document.indexOf(END);
        if (begin < 0 || end < begin) throw new IllegalArgumentException("the document has no " + BEGIN + " ... " + END);
        return document.substring(0, begin) + markdown() + document.substring(end + END.length());
    }

    private void section(String prefix, Class<?> group, String description) {
        Section section = new Section(prefix, description, new ArrayList<>());
        sections.add(section);
        for (String methodName : javadoc.propertyOrder(group)) {
            Method m = method(group, methodName);
            String key = prefix + "." + kebab(methodName);
            AnnotatedType type = m.getAnnotatedReturnType();
            boolean optional = raw(type) == Optional.class;
            if (optional) type = argument(type, 0);
            String text = javadoc.of(group, methodName);
            if (isGroup(raw(type))) {
                section(key, raw(type), join(text, javadoc.of(raw(type))));
            } else if (raw(type) == Map.class && isGroup(raw(argument(type, 1)))) {
                Class<?> entry = raw(argument(type, 1));
                section(key + ".NAME", entry, join(text, javadoc.of(entry)));
            } else if (raw(type) == Map.class) {
                section.keys().add(new Key(key + ".\"KEY\"", "string", "none", allowed(argument(type, 1)), text));
            } else {
                WithDefault d = m.getAnnotation(WithDefault.class);
                String defaultValue = d != null ? "`" + d.value() + "`" : optional ? "unset" : "required";
                section.keys().add(new Key(key, typeName(type), defaultValue, allowed(m, type), text));
            }
        }
    }

    private static String join(String a, String b) {
        return a.isEmpty() ? b : b.isEmpty() ? a : a + " " + b;
    }

    private static Method method(Class<?> type, String name) {
        try {
            return type.getMethod(name);
        } catch (NoSuchMethodException e) {
            throw new IllegalStateException(type.getSimpleName() + "." + name + " is in the source but not in the class", e);
        }
    }

    private static boolean isGroup(Class<?> type) {
        return type.isInterface() && type.getEnclosingClass() == GatewayConfig.class;
    }

    private static Class<?> raw(AnnotatedType type) {
        java.lang.reflect.Type t = type.getType();
        return (Class<?>) (t instanceof java.lang.reflect.ParameterizedType p ? p.getRawType() : t);
    }

    private static AnnotatedType argument(AnnotatedType type, int index) {
        return ((AnnotatedParameterizedType) type).getAnnotatedActualTypeArguments()[index];
    }

    private static String typeName(AnnotatedType type) {
        Class<?> raw = raw(type);
        if (raw == List.class) return "list of " + typeName(argument(type, 0)) + " (comma separated)";
        if (raw == Duration.class) return "duration";
        if (raw == MemorySize.class) return "size";
        if (raw == int.class || raw == long.class || raw == short.class || raw == Integer.class) return "integer";
        if (raw == double.class) return "number";
        if (raw == boolean.class) return "boolean";
        if (raw == Path.class) return "path";
        if (raw == URI.class) return "URL";
        if (raw.isEnum())
            return Arrays.stream(raw.getEnumConstants()).map(c -> "`" + c.toString().toLowerCase(Locale.ROOT).replace('_', '-') + "`").collect(Collectors.joining(", "));
        return "string";
    }

    private static String allowed(Method m, AnnotatedType type) {
        // an annotation allowed on both the method and its type is reported on both
        Set<String> rules = new LinkedHashSet<>(rules(m.getAnnotations()));
        rules.addAll(rules(type.getAnnotations()));
        if (raw(type) == List.class) rules.addAll(rules(argument(type, 0).getAnnotations()).stream().map(r -> "each " + r).toList());
        return String.join("; ", rules);
    }

    private static String allowed(AnnotatedType type) {
        return String.join("; ", rules(type.getAnnotations()));
    }

    private static List<String> rules(Annotation[] annotations) {
        List<String> rules = new ArrayList<>();
        for (Annotation a : annotations) {
            switch (a) {
                case Min min -> rules.add(">= " + min.value());
                case Max max -> rules.add("<= " + max.value());
                case DecimalMin min -> rules.add((min.inclusive() ? ">= " : "> ") + min.value());
                case DecimalMax max -> rules.add((max.inclusive() ? "<= " : "< ") + max.value());
                case NotBlank ignored -> rules.add("not blank");
                case NotEmpty ignored -> rules.add("at least one");
                case Pattern p -> rules.add(p.message().startsWith("{") ? "matches `" + p.regexp() + "`" : p.message());
                case AeTitle ignored -> rules.add("AE title: 1 to 16 printable ASCII characters, no backslash");
                case PositiveAmount ignored -> rules.add("> 0");
                case IntervalOrOff ignored -> rules.add("duration > 0, or `off`");
                default -> { }
            }
        }
        return rules;
    }

    /** SmallRye Config's kebab-case property name of a method. */
    private static String kebab(String method) {
        return method.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT);
    }

    private static String cell(String text) {
        return text.replace("|", "\\|");
    }
}
