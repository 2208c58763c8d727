package org.seggateway.gateway.audit;

import io.quarkus.security.identity.SecurityIdentity;
import io.vertx.core.http.HttpServerRequest;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Records an API read of patient data in the audit trail ({@code api.read}): the authenticated user, their address,
 * the endpoint and the query as asked, the study concerned and what was answered. Resources record before they
 * answer, so a read the trail could not record fails rather than goes unrecorded.
 */
@ApplicationScoped
public class ApiReadAudit {
    public static final String TYPE = "api.read";

    private final AuditTrail trail;
    private final SecurityIdentity identity;

    ApiReadAudit(AuditTrail trail, SecurityIdentity identity) {
        this.trail = trail;
        this.identity = identity;
    }

    /**
     * @param endpoint   e.g. {@code GET /api/studies}
     * @param query      the request's parameters as given (nulls are left out)
     * @param studyInstanceUid the one study read, or null for a list
     * @param outcome    {@code success} or {@code not-found}
     * @param answered   what was answered (e.g. the study UIDs, a count)
     */
    public void record(HttpServerRequest request, String endpoint, Map<String, ?> query, String studyInstanceUid, String outcome,
                       Map<String, ?> answered) {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("endpoint", endpoint);
        Map<String, Object> asked = new LinkedHashMap<>();
        query.forEach((k, v) -> {
            if (v != null) asked.put(k, v);
        });
        details.put("query", asked);
        details.putAll(answered);
        String address = request == null || request.remoteAddress() == null ? null : request.remoteAddress().hostAddress();
        trail.append(new AuditEvent(TYPE, identity.getPrincipal().getName(), address, studyInstanceUid, outcome, details));
    }
}
