package org.seggateway.gateway.routing;

import java.util.List;

/**
 * A routing rule as {@code PUT /api/routes/{name}} takes it; missing values take the defaults of a configured route
 * (priority 100, enabled, quiet time 10s, match anything, measurement report on).
 *
 * @param priority     lower numbers are tried first (ties by name)
 * @param quietTime    quiet time after the last instance before the series counts as complete: {@code 30s}, {@code 2m},
 *                     {@code PT1M30S}
 * @param models       model packages (folders, relative to {@code seg-gateway.model-root}) to run
 * @param destinations names of configured destinations ({@code seg-gateway.destinations.NAME}) to send the SEG to
 * @param measurementReport whether a TID 1500 measurement report is sent beside the SEG (default true)
 */
public record RoutingRule(Integer priority, Boolean enabled, String quietTime, RuleMatch match, List<String> models,
                          List<String> destinations, Boolean measurementReport) {
}
