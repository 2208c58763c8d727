package org.seggateway.gateway.routing;

import com.fasterxml.jackson.annotation.JsonValue;

/** Where a route is defined: in the gateway's configuration (read-only at run time) or in {@code routing_rules}. */
public enum RouteSource {
    CONFIGURATION, DATABASE;

    @JsonValue
    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
