package org.seggateway.gateway.routing;

import java.time.Duration;
import java.util.List;
import org.seggateway.gateway.config.GatewayConfig;

/**
 * One route as the catalog holds it and the API shows it.
 *
 * @param quietTime ISO-8601 duration (e.g. PT10S)
 * @param changedBy the user of the last change (database rules only)
 * @param updatedAt ISO-8601 instant of the last change (database rules only)
 */
public record RouteView(String name, RouteSource source, boolean enabled, int priority, String quietTime, RuleMatch match,
                        List<String> models, List<String> destinations, boolean measurementReport, String changedBy,
                        String updatedAt) {

    static RouteView of(String name, GatewayConfig.Route route) {
        return new RouteView(name, RouteSource.CONFIGURATION, true, route.priority(), route.quietTime().toString(),
                RuleMatch.of(route.match()), List.copyOf(route.models()), List.copyOf(route.destinations()), route.measurementReport(), null, null);
    }

    /** This route in the form the {@link Router} reads. */
    GatewayConfig.Route asConfigRoute() {
        Duration quiet = Duration.parse(quietTime);
        GatewayConfig.Match m = match.asConfigMatch();
        RouteView v = this;
        return new GatewayConfig.Route() {
            public int priority() { return v.priority(); }
            public Duration quietTime() { return quiet; }
            public GatewayConfig.Match match() { return m; }
            public List<String> models() { return v.models(); }
            public List<String> destinations() { return v.destinations(); }
            public boolean measurementReport() { return v.measurementReport(); }
        };
    }
}
