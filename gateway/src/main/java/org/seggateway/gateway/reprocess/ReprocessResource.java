package org.seggateway.gateway.reprocess;

import io.quarkus.security.identity.SecurityIdentity;
import io.vertx.core.http.HttpServerRequest;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.ClientErrorException;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.seggateway.gateway.audit.ApiReadAudit;
import org.seggateway.gateway.security.Roles;

/** Audited batch reprocessing: run a model package over past series, follow its progress, cancel it. */
@Path("/api/reprocess")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed({Roles.OPERATOR, Roles.ADMIN})
@Tag(name = "reprocess", description = "Batch reprocessing of past series with a model package (role operator)")
public class ReprocessResource {
    private final BatchPlanner planner;
    private final BatchRepository batches;
    private final BatchLifecycle lifecycle;
    private final ApiReadAudit readAudit;
    private final SecurityIdentity identity;

    ReprocessResource(BatchPlanner planner, BatchRepository batches, BatchLifecycle lifecycle, ApiReadAudit readAudit,
                      SecurityIdentity identity) {
        this.planner = planner;
        this.batches = batches;
        this.lifecycle = lifecycle;
        this.readAudit = readAudit;
        this.identity = identity;
    }

    /** A dry run's answer: what a batch would hold. */
    public record DryRun(boolean dryRun, BatchPlan plan) {
    }

    /** A new batch: its progress and the plan it was made from. */
    public record Created(UUID batchId, BatchPlan plan, BatchProgress progress) {
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Start (or dry-run) a reprocessing batch",
            description = "Selects series by study UIDs or by time range (narrowed by route and previous model), checks the model "
                    + "package and its version, and creates one job per series. Batch jobs are queued behind live ones, at most "
                    + "seg-gateway.reprocess.max-in-flight at a time; instances no longer in the spool are retrieved from the PACS "
                    + "first. Each result is a new SEG series sent to the route's destinations. Audited with the user and reason.")
    @APIResponse(responseCode = "200", description = "dry run: the plan, nothing created")
    @APIResponse(responseCode = "202", description = "batch created; Location names its progress")
    @APIResponse(responseCode = "400", description = "no reason, no selection, unreadable model package, wrong version, too many series")
    public Response start(ReprocessRequest request, @Context HttpServerRequest http) throws SQLException {
        BatchPlan plan = planner.plan(request);
        BatchLifecycle.Requester requester = requester(http);
        if (request.dryRun()) {
            lifecycle.auditDryRun(plan, request, requester);
            return Response.ok(new DryRun(true, plan)).build();
        }
        if (plan.series().isEmpty())
            throw new ClientErrorException("the selection holds no series to reprocess" + plan.leftOut().stream()
                    .map(l -> "; study " + l.studyInstanceUid() + (l.seriesInstanceUid() == null ? "" : " series " + l.seriesInstanceUid())
                            + ": " + l.reason()).collect(java.util.stream.Collectors.joining()), Response.Status.BAD_REQUEST);
        UUID id = lifecycle.create(plan, request, requester);
        return Response.accepted(new Created(id, plan, batches.progress(id).orElseThrow()))
                .location(URI.create("/api/reprocess/" + id)).build();
    }

    @GET
    @Operation(summary = "Recent batches", description = "The 100 most recent batches with their counts, newest first.")
    public List<BatchProgress> recent(@Context HttpServerRequest http) throws SQLException {
        List<BatchProgress> recent = batches.recent(100);
        readAudit.record(http, "GET /api/reprocess", Map.of(), null, "success", Map.of("batches", recent.size()));
        return recent;
    }

    @GET
    @Path("/{id}")
    @Operation(summary = "A batch's progress", description = "Counts by state (waiting, queued, running, done, failed, cancelled), "
            + "an ETA, and each job with its series and, once done, its new SEG.")
    @APIResponse(responseCode = "404", description = "no such batch")
    public BatchProgress progress(@Parameter(description = "batch id") @PathParam("id") String id, @Context HttpServerRequest http)
            throws SQLException {
        UUID batchId = batchId(id);
        var progress = batches.progress(batchId);
        readAudit.record(http, "GET /api/reprocess/{id}", Map.of("id", id), null, progress.isPresent() ? "success" : "not-found", Map.of());
        return progress.orElseThrow(() -> new NotFoundException("no batch " + id));
    }

    @POST
    @Path("/{id}/cancel")
    @Operation(summary = "Cancel a batch", description = "Jobs not yet on the queue are cancelled; jobs on the queue finish.")
    @APIResponse(responseCode = "404", description = "no such batch")
    @APIResponse(responseCode = "409", description = "the batch is no longer running")
    public BatchProgress cancel(@Parameter(description = "batch id") @PathParam("id") String id, @Context HttpServerRequest http)
            throws SQLException {
        try {
            return lifecycle.cancel(batchId(id), requester(http)).orElseThrow(() -> new NotFoundException("no batch " + id));
        } catch (IllegalStateException e) {
            throw new ClientErrorException(e.getMessage(), Response.Status.CONFLICT);
        }
    }

    private BatchLifecycle.Requester requester(HttpServerRequest http) {
        String address = http == null || http.remoteAddress() == null ? null : http.remoteAddress().hostAddress();
        return new BatchLifecycle.Requester(identity.getPrincipal().getName(), address);
    }

    private static UUID batchId(String id) {
        try {
            return UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            throw new NotFoundException("no batch " + id);
        }
    }
}
