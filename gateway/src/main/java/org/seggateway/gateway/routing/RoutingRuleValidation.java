package org.seggateway.gateway.routing;

import io.quarkus.runtime.configuration.DurationConverter;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.seggateway.gateway.config.GatewayConfig;
import org.seggateway.gateway.models.ModelPackageException;
import org.seggateway.gateway.models.ModelPackages;

/**
 * Checks a rule before it is stored, so that a stored rule can always run: a name that fits a URL path, a positive quiet
 * time, a series description that compiles, model packages that load as a worker would load them, configured
 * destinations. Fills in the defaults of a configured route.
 */
@ApplicationScoped
public class RoutingRuleValidation {
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");
    private static final Duration DEFAULT_QUIET_TIME = Duration.ofSeconds(10);

    private final ModelPackages models;
    private final Set<String> destinations;

    RoutingRuleValidation(ModelPackages models, GatewayConfig config) {
        this.models = models;
        this.destinations = Set.copyOf(config.destinations().keySet());
    }

    /** A rule found wanting, with what is wrong. */
    public static class InvalidRuleException extends Exception {
        InvalidRuleException(String message) {
            super(message);
        }
    }

    /** The rule as it would be stored (source database, enabled by default). */
    public RouteView check(String name, RoutingRule rule) throws InvalidRuleException {
        if (name == null || !NAME.matcher(name).matches())
            throw new InvalidRuleException("a rule name is 1 to 128 letters, digits, '.', '_' or '-', starting with a letter or digit");
        if (rule == null) throw new InvalidRuleException("the request holds no rule");
        Duration quiet = quietTime(rule.quietTime());
        RuleMatch match = rule.match() == null ? RuleMatch.ANY : rule.match();
        check(match);
        List<String> modelList = nonBlank("models", rule.models());
        for (String model : modelList) {
            try {
                models.read(model);
            } catch (ModelPackageException e) {
                throw new InvalidRuleException(e.getMessage());
            }
        }
        List<String> destinationList = nonBlank("destinations", rule.destinations());
        for (String destination : destinationList)
            if (!destinations.contains(destination))
                throw new InvalidRuleException("unknown destination '" + destination + "' (configured: "
                        + destinations.stream().sorted().toList() + ")");
        return new RouteView(name, RouteSource.DATABASE, rule.enabled() == null || rule.enabled(),
                rule.priority() == null ? 100 : rule.priority(), quiet.toString(), match, modelList, destinationList,
                rule.measurementReport() == null || rule.measurementReport(), null, null);
    }

    private static Duration quietTime(String text) throws InvalidRuleException {
        if (text == null || text.isBlank()) return DEFAULT_QUIET_TIME;
        Duration d;
        try {
            d = new DurationConverter().convert(text.strip());
        } catch (RuntimeException e) {
            throw new InvalidRuleException("quietTime '" + text + "' is not a duration (e.g. 30s, 2m, PT1M30S)");
        }
        if (d == null || d.isNegative() || d.isZero()) throw new InvalidRuleException("quietTime must be positive, not '" + text + "'");
        return d;
    }

    private static void check(RuleMatch m) throws InvalidRuleException {
        for (List<String> values : java.util.Arrays.asList(m.callingAeTitles(), m.modalities(), m.bodyParts(), m.imageType(), m.sopClasses()))
            if (values != null && values.stream().anyMatch(v -> v == null || v.isBlank()))
                throw new InvalidRuleException("match lists hold no empty values");
        if (m.seriesDescription() != null) {
            try {
                Pattern.compile(m.seriesDescription());
            } catch (PatternSyntaxException e) {
                throw new InvalidRuleException("match.seriesDescription is not a regular expression: "
                        + e.getDescription() + " near index " + e.getIndex());
            }
        }
        if (m.minSlices() != null && m.minSlices() < 1) throw new InvalidRuleException("match.minSlices must be at least 1");
    }

    private static List<String> nonBlank(String field, List<String> values) throws InvalidRuleException {
        if (values == null || values.isEmpty()) throw new InvalidRuleException(field + " must name at least one entry");
        if (values.stream().anyMatch(v -> v == null || v.isBlank())) throw new InvalidRuleException(field + " hold no empty names");
        return List.copyOf(values);
    }
}
