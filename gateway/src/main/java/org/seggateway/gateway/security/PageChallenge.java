package org.seggateway.gateway.security;

import io.quarkus.vertx.http.runtime.filters.Filters;
import io.quarkus.vertx.http.runtime.security.SecurityHandlerPriorities;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * The worklist page's own API calls in OIDC mode (header {@value SessionCsrfCheck#HEADER}, no Authorization header)
 * get a 401 without the HTTP Basic challenge: a browser answers a Basic challenge with its own password dialog, which
 * is not how a user signs in there. The challenge sent instead names the bearer scheme; the page offers its "Sign in".
 */
@ApplicationScoped
public class PageChallenge {
    private static final int PRIORITY = SecurityHandlerPriorities.CORS + 30;

    void register(@Observes Filters filters) {
        filters.register(this::filter, PRIORITY);
    }

    private void filter(RoutingContext rc) {
        String path = rc.normalizedPath();
        if ((path.equals("/api") || path.startsWith("/api/")) && rc.request().getHeader(SessionCsrfCheck.HEADER) != null
                && rc.request().getHeader(HttpHeaders.AUTHORIZATION) == null) {
            rc.addHeadersEndHandler(done -> {
                if (rc.response().getStatusCode() == 401)
                    rc.response().headers().set("WWW-Authenticate", "Bearer realm=\"seg-gateway\"");
            });
        }
        rc.next();
    }
}
