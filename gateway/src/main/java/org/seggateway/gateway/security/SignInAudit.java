package org.seggateway.gateway.security;

import static org.seggateway.gateway.security.SecurityLog.LOG;

import io.quarkus.oidc.SecurityEvent;
import io.quarkus.security.identity.SecurityIdentity;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.ObservesAsync;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.seggateway.gateway.audit.AuditEvent;
import org.seggateway.gateway.audit.AuditTrail;

/**
 * Records the page's OIDC sign-in ({@value #LOGIN}: the authorization code flow completed and the session cookie
 * set) and sign-out ({@value #LOGOUT}: the session ended at {@code /signout}) in the audit trail, with the user, their
 * address and their gateway roles; the ATNA export sends them as DICOM User Authentication events. Quarkus fires the
 * events on the I/O thread; they are observed asynchronously, as the audit append takes a database transaction.
 */
@ApplicationScoped
public class SignInAudit {
    public static final String LOGIN = "user.login";
    public static final String LOGOUT = "user.logout";

    private final AuditTrail trail;

    SignInAudit(AuditTrail trail) {
        this.trail = trail;
    }

    void observe(@ObservesAsync SecurityEvent event) {
        String type = switch (event.getEventType()) {
            case OIDC_LOGIN -> LOGIN;
            case OIDC_LOGOUT_RP_INITIATED, OIDC_LOGOUT_RP_INITIATED_SESSION_EXPIRED -> LOGOUT;
            default -> null;
        };
        SecurityIdentity identity = event.getSecurityIdentity();
        if (type == null || identity == null || identity.isAnonymous()) return;
        String user = identity.getPrincipal().getName();
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("mechanism", "oidc-code-flow");
        details.put("roles", identity.getRoles().stream()
                .filter(r -> List.of(Roles.VIEWER, Roles.OPERATOR, Roles.AUDITOR, Roles.ADMIN).contains(r)).sorted().toList());
        if (event.getEventType() == SecurityEvent.Type.OIDC_LOGOUT_RP_INITIATED_SESSION_EXPIRED) details.put("sessionExpired", true);
        try {
            trail.append(new AuditEvent(type, user, address(identity), null, "success", details));
        } catch (RuntimeException e) {
            LOG.signInNotRecorded(type, user, e.toString());
        }
    }

    private static String address(SecurityIdentity identity) {
        Object rc = identity.getAttribute(RoutingContext.class.getName());
        if (rc instanceof RoutingContext context && context.request().remoteAddress() != null)
            return context.request().remoteAddress().hostAddress();
        return null;
    }
}
