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
 * set) and sign-out ({@value #LOGOUT}: the session ended at {@code /signout}, {@link SignOutResource}) in the audit trail, with the user, their
 * address and their gateway roles; the ATNA export sends them as DICOM User Authentication events. Quarkus fires the
 * sign-in event on the I/O thread; it is observed asynchronously, as the audit append takes a database transaction.
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
        SecurityIdentity identity = event.getSecurityIdentity();
        if (event.getEventType() != SecurityEvent.Type.OIDC_LOGIN || identity == null || identity.isAnonymous()) return;
        record(LOGIN, identity, address(identity));
    }

    /** Called by {@link SignOutResource} on a worker thread. */
    void signedOut(SecurityIdentity identity, String address) {
        record(LOGOUT, identity, address);
    }

    private void record(String type, SecurityIdentity identity, String address) {
        String user = identity.getPrincipal().getName();
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("mechanism", "oidc-code-flow");
        details.put("roles", identity.getRoles().stream()
                .filter(r -> List.of(Roles.VIEWER, Roles.OPERATOR, Roles.AUDITOR, Roles.ADMIN).contains(r)).sorted().toList());
        try {
            trail.append(new AuditEvent(type, user, address, null, "success", details));
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
