package org.seggateway.gateway.audit;

import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.vertx.http.runtime.filters.Filters;
import io.quarkus.vertx.http.runtime.security.QuarkusHttpUser;
import io.quarkus.vertx.http.runtime.security.SecurityHandlerPriorities;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * Records every API request answered 401 or 403 in the audit trail ({@code api.denied}): the user when one was
 * authenticated (a 403) else {@code anonymous}, the source address, method, path and status. The query string is
 * left out: it may name a patient, and a denied caller saw nothing.
 *
 * <p>A Vert.x route filter that runs before the security handlers (priority above
 * {@link SecurityHandlerPriorities#CORS}) watches the status when the response headers are written, so it sees the
 * 401 of a missing or wrong password, the 403 of a path permission policy and the 403 of {@code @RolesAllowed} alike.
 * The row is written on a worker thread after the answer (the event loop must not wait for the database); a row that
 * cannot be written is logged as an error.
 */
@ApplicationScoped
public class ApiDeniedAudit {
    public static final String TYPE = "api.denied";
    private static final Logger LOG = Logger.getLogger(ApiDeniedAudit.class);
    private static final int PRIORITY = SecurityHandlerPriorities.CORS + 100;
    /** A longer path is recorded cut to this length (the caller chooses it). */
    private static final int MAX_PATH = 512;

    private final AuditTrail trail;

    ApiDeniedAudit(AuditTrail trail) {
        this.trail = trail;
    }

    void register(@Observes Filters filters) {
        filters.register(this::watch, PRIORITY);
    }

    private void watch(RoutingContext rc) {
        String path = rc.normalizedPath();
        if (path.equals("/api") || path.startsWith("/api/")) {
            rc.addHeadersEndHandler(done -> {
                int status = rc.response().getStatusCode();
                if (status == 401 || status == 403) record(rc, path, status);
            });
        }
        rc.next();
    }

    private void record(RoutingContext rc, String path, int status) {
        String actor = "anonymous";
        if (rc.user() instanceof QuarkusHttpUser user) {
            SecurityIdentity identity = user.getSecurityIdentity();
            if (identity != null && !identity.isAnonymous()) actor = identity.getPrincipal().getName();
        }
        String address = rc.request().remoteAddress() == null ? null : rc.request().remoteAddress().hostAddress();
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("method", rc.request().method().name());
        details.put("path", path.length() > MAX_PATH ? path.substring(0, MAX_PATH) + "..." : path);
        details.put("status", status);
        AuditEvent event = new AuditEvent(TYPE, actor, address, null, status == 401 ? "unauthorized" : "forbidden", details);
        rc.vertx().executeBlocking(() -> trail.append(event), false).onFailure(e -> LOG.errorf(
                "denied request %s %s (%d) from %s could not be recorded in the audit trail: %s", rc.request().method().name(),
                path, status, address, e.toString()));
    }
}
