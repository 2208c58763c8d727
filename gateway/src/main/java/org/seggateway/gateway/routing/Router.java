package org.seggateway.gateway.routing;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.seggateway.gateway.config.GatewayConfig;

/**
 * Picks the route of a completed series, among the routes in force ({@link RouteCatalog}): the matching rule with the lowest priority number (ties by name).
 * Every condition a rule states must hold; a rule that states none matches everything. Localizers never
 * match. The Series Description regex is matched within a time limit ({@link BoundedRegex}).
 */
@ApplicationScoped
public class Router {
    private final Supplier<Map<String, GatewayConfig.Route>> inForce;

    @Inject
    Router(RouteCatalog catalog) {
        this.inForce = catalog::inForce;
    }

    public Router(Map<String, GatewayConfig.Route> routes) {
        Map<String, GatewayConfig.Route> fixed = Map.copyOf(routes);
        this.inForce = () -> fixed;
    }

    public RouteDecision route(SeriesFacts facts) {
        if (facts.imageType().stream().anyMatch("LOCALIZER"::equalsIgnoreCase))
            return RouteDecision.skip("localizer series (Image Type LOCALIZER)");
        Map<String, GatewayConfig.Route> routes = inForce.get();
        if (routes.isEmpty()) return RouteDecision.skip("no routes configured");
        return routes.entrySet().stream()
                .sorted(Comparator.comparingInt((Map.Entry<String, GatewayConfig.Route> e) -> e.getValue().priority())
                        .thenComparing(Map.Entry::getKey))
                .filter(e -> matches(e.getValue().match(), facts))
                .findFirst()
                .map(e -> new RouteDecision(e.getKey(), List.copyOf(e.getValue().models()),
                        List.copyOf(e.getValue().destinations()), null))
                .orElseGet(() -> RouteDecision.skip("no route matches (modality " + facts.modality() + ", body part "
                        + facts.bodyPart() + ", " + facts.instanceCount() + " instances, from " + facts.callingAeTitle() + ")"));
    }

    /** Also the minimal quiet time any route needs: series completion runs at that pace. */
    public Optional<Duration> shortestQuietTime() {
        return inForce.get().values().stream().map(GatewayConfig.Route::quietTime).min(Comparator.naturalOrder());
    }

    static boolean matches(GatewayConfig.Match m, SeriesFacts f) {
        return anyEqual(m.callingAeTitles(), f.callingAeTitle())
                && anyEqual(m.modalities(), f.modality())
                && anyEqual(m.bodyParts(), f.bodyPart())
                && m.seriesDescription().map(re -> BoundedRegex.matches(re, nullToEmpty(f.seriesDescription()))).orElse(true)
                && m.imageType().map(required -> required.stream().allMatch(v -> f.imageType().stream().anyMatch(v::equalsIgnoreCase))).orElse(true)
                && m.minSlices().map(min -> f.instanceCount() >= min).orElse(true)
                && m.sopClasses().map(classes -> f.sopClassUids().stream().anyMatch(classes::contains)).orElse(true);
    }

    private static boolean anyEqual(Optional<List<String>> allowed, String value) {
        return allowed.map(list -> list.stream().anyMatch(a -> a.equalsIgnoreCase(nullToEmpty(value)))).orElse(true);
    }

    private static String nullToEmpty(String s) {
        return s == null ? "" : s;
    }
}
