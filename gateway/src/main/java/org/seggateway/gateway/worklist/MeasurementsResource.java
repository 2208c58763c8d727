package org.seggateway.gateway.worklist;

import static org.seggateway.gateway.rest.QueryParameters.blankToNull;
import static org.seggateway.gateway.rest.QueryParameters.time;

import io.vertx.core.http.HttpServerRequest;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.BadRequestException;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Response;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.seggateway.gateway.audit.ApiReadAudit;
import org.seggateway.gateway.security.Roles;

/** The per-segment measurements of a study or of a time range as CSV; every export is recorded in the audit trail. */
@Path("/api/measurements")
@RolesAllowed({Roles.VIEWER, Roles.OPERATOR, Roles.ADMIN})
@Tag(name = "worklist", description = "Per study: series, model runs, SEG results and their deliveries (role viewer)")
public class MeasurementsResource {
    private final MeasurementsExport export;
    private final ApiReadAudit audit;

    MeasurementsResource(MeasurementsExport export, ApiReadAudit audit) {
        this.export = export;
        this.audit = audit;
    }

    @GET
    @Produces("text/csv")
    @Operation(summary = "Measurements as CSV",
            description = "One line per segment of each result of the study, or of the results created in the time range: "
                    + "UIDs, model, volume, mean, extremes, bounding box, components, left/right volumes.")
    @APIResponse(responseCode = "200", description = "the CSV")
    @APIResponse(responseCode = "400", description = "neither a study nor a start time, a malformed time, or too many results")
    public Response csv(@Parameter(description = "Study Instance UID") @QueryParam("studyUid") String studyUid,
                        @Parameter(description = "results created at or after this time (ISO-8601 instant, or a date: its start, UTC)")
                        @QueryParam("from") String from,
                        @Parameter(description = "results created before this time (ISO-8601 instant, or a date: up to its end, UTC)")
                        @QueryParam("to") String to,
                        @Context HttpServerRequest request) {
        String study = blankToNull(studyUid);
        Instant start = time("from", from, false), end = time("to", to, true);
        Map<String, Object> query = new LinkedHashMap<>();
        query.put("studyUid", study);
        query.put("from", from);
        query.put("to", to);
        String auditedStudy = study == null || study.length() > 64 ? null : study;
        if (study == null && start == null) {
            audit.record(request, "GET /api/measurements", query, null, "bad-request", Map.of());
            throw new BadRequestException("name a study (studyUid) or the start of a time range (from)");
        }
        Optional<MeasurementsExport.Csv> csv = export.export(study, start, end);
        if (csv.isEmpty()) {
            audit.record(request, "GET /api/measurements", query, auditedStudy, "bad-request", Map.of());
            throw new BadRequestException("more than " + MeasurementsExport.MAX_RESULTS + " results: narrow the time range");
        }
        audit.record(request, "GET /api/measurements", query, auditedStudy, "success",
                Map.of("results", csv.get().results(), "studies", csv.get().studies()));
        String name = "measurements-" + (study != null ? study : start.toString().replace(':', '-')) + ".csv";
        return Response.ok(csv.get().text(), "text/csv; charset=UTF-8")
                .header("Content-Disposition", "attachment; filename=\"" + name + "\"").build();
    }
}
