package org.seggateway.gateway.config;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The javadoc of a config mapping's source, per interface and per property method, in source order. Reflection gives
 * the mapping's structure but not its comments, so they are read from the {@code .java} file.
 *
 * @param interfaces simple interface name to its javadoc (empty when it has none)
 * @param properties simple interface name to its property methods in source order, each with its javadoc
 */
record MappingJavadoc(Map<String, String> interfaces, Map<String, Map<String, String>> properties) {
    private static final Pattern INTERFACE = Pattern.compile("^\\s*(?:public\\s+)?(?:@interface|interface|enum)\\s+(\\w+)");
    private static final Pattern PROPERTY = Pattern.compile("^\\s*[\\w<>@?, .]+\\s+(\\w+)\\(\\);");

    static MappingJavadoc parse(String source) {
        Map<String, String> interfaces = new LinkedHashMap<>();
        Map<String, Map<String, String>> properties = new LinkedHashMap<>();
        Deque<String> enclosing = new ArrayDeque<>();
        Deque<Integer> openedAtDepth = new ArrayDeque<>();
        StringBuilder javadoc = null;
        String pending = "";
        int depth = 0;
        for (String line : source.split("\n")) {
            String trimmed = line.strip();
            if (javadoc != null) {
                int end = trimmed.indexOf("*/");
                javadoc.append(' ').append(end < 0 ? trimmed : trimmed.substring(0, end));
                if (end >= 0) {
                    pending = javadoc.toString();
                    javadoc = null;
                }
                continue;
            }
            if (trimmed.startsWith("/**")) {
                String rest = trimmed.substring(3);
                int end = rest.indexOf("*/");
                if (end >= 0) pending = rest.substring(0, end);
                else javadoc = new StringBuilder(rest);
                continue;
            }
            if (trimmed.startsWith("@") || trimmed.isEmpty() || trimmed.startsWith("//") || trimmed.startsWith("import ")
                    || trimmed.startsWith("package ")) continue;
            Matcher type = INTERFACE.matcher(line);
            Matcher property = PROPERTY.matcher(line);
            if (type.find()) {
                interfaces.put(type.group(1), clean(pending));
                properties.put(type.group(1), new LinkedHashMap<>());
                enclosing.push(type.group(1));
                openedAtDepth.push(depth);
            } else if (property.find() && !enclosing.isEmpty() && !trimmed.startsWith("default ") && !trimmed.startsWith("static ")) {
                properties.get(enclosing.peek()).put(property.group(1), clean(pending));
            }
            pending = "";
            for (char c : trimmed.toCharArray()) {
                if (c == '{') depth++;
                if (c == '}') {
                    depth--;
                    if (!openedAtDepth.isEmpty() && depth == openedAtDepth.peek()) {
                        openedAtDepth.pop();
                        enclosing.pop();
                    }
                }
            }
        }
        return new MappingJavadoc(interfaces, properties);
    }

    List<String> propertyOrder(Class<?> type) {
        return new ArrayList<>(properties.getOrDefault(type.getSimpleName(), Map.of()).keySet());
    }

    String of(Class<?> type) {
        return interfaces.getOrDefault(type.getSimpleName(), "");
    }

    String of(Class<?> type, String method) {
        return properties.getOrDefault(type.getSimpleName(), Map.of()).getOrDefault(method, "");
    }

    /** Javadoc as Markdown on one line: {@code {@code x}} as code, {@code {@link x}} as its name. */
    private static String clean(String javadoc) {
        String text = javadoc.replaceAll("\\s*\\*\\s+", " ").replaceAll("^\\*\\s*", "").replaceAll("\\s+", " ").strip();
        text = text.replaceAll("\\{@code ([^}]*)}", "`$1`");
        text = text.replaceAll("\\{@link #(\\w+)\\(\\)}", "`$1`");
        text = text.replaceAll("\\{@link ([^}]*)}", "`$1`");
        return text;
    }
}
