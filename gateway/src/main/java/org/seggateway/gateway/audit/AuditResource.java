package org.seggateway.gateway.audit;

import io.vertx.core.http.HttpServerRequest;
import static org.seggateway.gateway.rest.QueryParameters.blankToNull;
import static org.seggateway.gateway.rest.QueryParameters.checkPage;
import static org.seggateway.gateway.rest.QueryParameters.time;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.seggateway.gateway.security.Roles;

/** {@code GET /api/audit}: the audit trail for auditors. Reading it is itself recorded. */
@Path("/api/audit")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(Roles.AUDITOR)
@Tag(name = "audit", description = "Who did what with which study, when (role auditor)")
public class AuditResource {
    static final int MAX_PAGE_SIZE = 1000;
    private final AuditQueries queries;
    private final ApiReadAudit audit;

    AuditResource(AuditQueries queries, ApiReadAudit audit) {
        this.queries = queries;
        this.audit = audit;
    }

    @GET
    @Operation(summary = "Audit rows, newest first",
            description = "Each row with its hash and its predecessor's hash (bin/seg-gateway audit verify checks the chain).")
    @APIResponse(responseCode = "200", description = "one page of audit rows")
    @APIResponse(responseCode = "400", description = "a malformed parameter")
    public AuditPage list(
            @Parameter(description = "from this time on (ISO-8601 instant, or a date: its start, UTC)") @QueryParam("from") String from,
            @Parameter(description = "before this time (ISO-8601 instant, or a date: up to its end, UTC)") @QueryParam("to") String to,
            @Parameter(description = "Study Instance UID") @QueryParam("studyUid") String studyUid,
            @Parameter(description = "the actor: a user name, a calling AE title, or the gateway") @QueryParam("user") String user,
            @Parameter(description = "event type, or a dotted prefix of it (e.g. api, dicom, delivery)") @QueryParam("type") String type,
            @Parameter(description = "page number from 0") @QueryParam("page") @DefaultValue("0") int page,
            @Parameter(description = "rows per page, 1 to " + MAX_PAGE_SIZE) @QueryParam("size") @DefaultValue("100") int size,
            @Context HttpServerRequest request) throws SQLException {
        checkPage(page, size, MAX_PAGE_SIZE);
        AuditFilter filter = new AuditFilter(time("from", from, false), time("to", to, true), blankToNull(studyUid),
                blankToNull(user), blankToNull(type));
        AuditPage answer = queries.page(filter, page, size);
        Map<String, Object> query = new LinkedHashMap<>();
        query.put("from", from);
        query.put("to", to);
        query.put("studyUid", filter.studyInstanceUid());
        query.put("user", filter.actor());
        query.put("type", filter.type());
        query.put("page", page);
        query.put("size", size);
        audit.record(request, "GET /api/audit", query, filter.studyInstanceUid(), "success",
                Map.of("total", answer.total(), "returned", answer.entries().size()));
        return answer;
    }
}
