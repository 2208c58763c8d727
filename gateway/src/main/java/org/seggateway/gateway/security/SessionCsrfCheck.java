package org.seggateway.gateway.security;

import io.quarkus.vertx.http.runtime.filters.Filters;
import io.quarkus.vertx.http.runtime.security.SecurityHandlerPriorities;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.Set;

/**
 * Cross-site request forgery guard for API calls authenticated by the OIDC session cookie: a request to {@code /api}
 * that changes something (any method but GET, HEAD, OPTIONS), carries a session cookie and no Authorization header
 * must carry the header {@value #HEADER}, else it is answered 403 before its cookie is looked at. A browser sends a
 * custom header across origins only after a CORS preflight, which the gateway does not grant, so only the gateway's
 * own page can send it. This stands beside the cookie's {@code SameSite=Strict}, for browsers or proxies that do not
 * honour it. Basic and bearer requests carry their credentials explicitly and are not concerned.
 */
@ApplicationScoped
public class SessionCsrfCheck {
    public static final String HEADER = "X-Requested-With";
    private static final int PRIORITY = SecurityHandlerPriorities.CORS + 40; // after ApiDeniedAudit, which so counts the 403
    private static final Set<HttpMethod> SAFE = Set.of(HttpMethod.GET, HttpMethod.HEAD, HttpMethod.OPTIONS);

    void register(@Observes Filters filters) {
        filters.register(this::filter, PRIORITY);
    }

    private void filter(RoutingContext rc) {
        String path = rc.normalizedPath();
        if ((path.equals("/api") || path.startsWith("/api/")) && !SAFE.contains(rc.request().method())
                && rc.request().getHeader(HttpHeaders.AUTHORIZATION) == null && hasSessionCookie(rc)
                && isBlank(rc.request().getHeader(HEADER))) {
            rc.response().setStatusCode(403).putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                    .end("{\"error\":\"a change made with the session cookie needs the header " + HEADER + "\"}");
            return;
        }
        rc.next();
    }

    private static boolean hasSessionCookie(RoutingContext rc) {
        for (String name : rc.request().cookieMap().keySet())
            if (name.equals("q_session") || name.startsWith("q_session_")) return true;
        return false;
    }

    private static boolean isBlank(String s) {
        return s == null || s.isBlank();
    }
}
