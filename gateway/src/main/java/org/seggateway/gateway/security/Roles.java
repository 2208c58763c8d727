package org.seggateway.gateway.security;

/**
 * The roles of the API's users. Which role may call which path is configured in application.properties
 * ({@code quarkus.http.auth.permission.*}); resources also name their roles with {@code @RolesAllowed}, so that a
 * path left out of that configuration is still closed.
 */
public final class Roles {
    /** Reads the worklist: studies, jobs, results, deliveries. */
    public static final String VIEWER = "viewer";
    /** Runs reprocessing (and may read the worklist). */
    public static final String OPERATOR = "operator";
    /** Reads the audit trail. */
    public static final String AUDITOR = "auditor";
    /** Changes rules and configuration (and may read the worklist). */
    public static final String ADMIN = "admin";

    private Roles() {}
}
