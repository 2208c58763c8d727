package org.seggateway.gateway.routing;

import java.util.List;

/** The route a series takes, or why it takes none. */
public record RouteDecision(String routeName, List<String> models, List<String> destinations, String skipReason) {

    public static RouteDecision skip(String reason) {
        return new RouteDecision(null, List.of(), List.of(), reason);
    }

    public boolean skipped() {
        return routeName == null;
    }
}
