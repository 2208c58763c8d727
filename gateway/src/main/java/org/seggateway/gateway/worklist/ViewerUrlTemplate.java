package org.seggateway.gateway.worklist;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The "open in viewer" link of a study: an http or https URL with placeholders in braces, each replaced by the study's
 * value URL-encoded (as a query value: a space becomes {@code %20}, every reserved character is escaped).
 * Placeholders: {@code {studyInstanceUid}} and {@code {accessionNumber}}; a study without an accession number gets no
 * link from a template that names one.
 */
public record ViewerUrlTemplate(String template) {
    public static final Set<String> PLACEHOLDERS = Set.of("studyInstanceUid", "accessionNumber");
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{([^{}]*)}");

    /** What is wrong with a template, in words for the start-up error; empty when it is usable. */
    public static Optional<String> problem(String template) {
        if (template == null || template.isBlank()) return Optional.of("is blank; leave it unset to show no viewer link");
        Matcher m = PLACEHOLDER.matcher(template);
        StringBuilder probe = new StringBuilder();
        while (m.find()) {
            if (!PLACEHOLDERS.contains(m.group(1)))
                return Optional.of("names the unknown placeholder {" + m.group(1) + "}; known: "
                        + PLACEHOLDERS.stream().sorted().map(p -> "{" + p + "}").toList());
            m.appendReplacement(probe, "1.2.3");
        }
        m.appendTail(probe);
        if (probe.indexOf("{") >= 0 || probe.indexOf("}") >= 0)
            return Optional.of("has a brace outside a placeholder such as {studyInstanceUid}");
        URI uri;
        try {
            uri = new URI(probe.toString());
        } catch (URISyntaxException e) {
            return Optional.of("is not a valid URL: " + e.getReason());
        }
        if (uri.getScheme() == null || !Set.of("http", "https").contains(uri.getScheme().toLowerCase()))
            return Optional.of("must start with http:// or https://");
        if (uri.getHost() == null || uri.getHost().isEmpty()) return Optional.of("names no host");
        return Optional.empty();
    }

    public ViewerUrlTemplate {
        Optional<String> problem = problem(template);
        if (problem.isPresent()) throw new IllegalArgumentException("viewer URL template " + problem.get());
    }

    /** The link for a study; empty when a placeholder's value is missing. */
    public Optional<String> expand(Map<String, String> values) {
        return expand(values::get);
    }

    Optional<String> expand(Function<String, String> values) {
        Matcher m = PLACEHOLDER.matcher(template);
        StringBuilder url = new StringBuilder();
        while (m.find()) {
            String value = values.apply(m.group(1));
            if (value == null || value.isEmpty()) return Optional.empty();
            m.appendReplacement(url, Matcher.quoteReplacement(
                    URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20")));
        }
        m.appendTail(url);
        return Optional.of(url.toString());
    }
}
