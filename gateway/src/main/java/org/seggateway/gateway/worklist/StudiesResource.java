package org.seggateway.gateway.worklist;

import io.vertx.core.http.HttpServerRequest;
import static org.seggateway.gateway.rest.QueryParameters.blankToNull;
import static org.seggateway.gateway.rest.QueryParameters.checkPage;
import static org.seggateway.gateway.rest.QueryParameters.time;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.BadRequestException;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.InternalServerErrorException;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import java.io.IOException;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.seggateway.gateway.audit.ApiReadAudit;
import org.seggateway.gateway.security.Roles;

/** The worklist: what the gateway produced for each study. Every answer is recorded in the audit trail. */
@Path("/api/studies")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed({Roles.VIEWER, Roles.OPERATOR, Roles.ADMIN})
@Tag(name = "worklist", description = "Per study: series, model runs, SEG results and their deliveries (role viewer)")
public class StudiesResource {
    static final int MAX_PAGE_SIZE = 200;
    private final StudyQueries queries;
    private final SeriesThumbnails thumbnails;
    private final ApiReadAudit audit;

    StudiesResource(StudyQueries queries, SeriesThumbnails thumbnails, ApiReadAudit audit) {
        this.queries = queries;
        this.thumbnails = thumbnails;
        this.audit = audit;
    }

    @GET
    @Operation(summary = "Studies, most recently received first",
            description = "Each study with its series, the jobs run over each (newest first: model name and version, state, "
                    + "reason, timings), each job's SEG (result version, SOP Instance and Series UIDs) and its deliveries.")
    @APIResponse(responseCode = "200", description = "one page of studies")
    @APIResponse(responseCode = "400", description = "a malformed parameter")
    public StudyPage list(
            @Parameter(description = "Accession Number, exact") @QueryParam("accession") String accession,
            @Parameter(description = "Patient ID, exact") @QueryParam("patientId") String patientId,
            @Parameter(description = "Study Instance UID") @QueryParam("studyUid") String studyUid,
            @Parameter(description = "studies with an instance received at or after this time (ISO-8601 instant, or a date: its start, UTC)")
            @QueryParam("from") String from,
            @Parameter(description = "studies first received before this time (ISO-8601 instant, or a date: up to its end, UTC)")
            @QueryParam("to") String to,
            @Parameter(description = "failed, receiving, processing, delivering, delivered, done or no-job") @QueryParam("status") String status,
            @Parameter(description = "page number from 0") @QueryParam("page") @DefaultValue("0") int page,
            @Parameter(description = "studies per page, 1 to " + MAX_PAGE_SIZE) @QueryParam("size") @DefaultValue("50") int size,
            @Context HttpServerRequest request) throws SQLException {
        checkPage(page, size, MAX_PAGE_SIZE);
        StudyFilter filter = new StudyFilter(blankToNull(accession), blankToNull(patientId), blankToNull(studyUid),
                time("from", from, false), time("to", to, true), status(status));
        StudyPage answer = queries.page(filter, page, size);
        Map<String, Object> query = new LinkedHashMap<>();
        query.put("accession", filter.accessionNumber());
        query.put("patientId", filter.patientId());
        query.put("studyUid", filter.studyInstanceUid());
        query.put("from", from);
        query.put("to", to);
        query.put("status", filter.status() == null ? null : filter.status().label());
        query.put("page", page);
        query.put("size", size);
        audit.record(request, "GET /api/studies", query, filter.studyInstanceUid(), "success",
                Map.of("total", answer.total(), "studies", answer.studies().stream().map(StudyView::studyInstanceUid).toList()));
        return answer;
    }

    @GET
    @Path("/{studyUid}")
    @Operation(summary = "One study", description = "The study with its series, jobs, SEG results and deliveries.")
    @APIResponse(responseCode = "200", description = "the study")
    @APIResponse(responseCode = "404", description = "no series of this study was received")
    public StudyView get(@Parameter(description = "Study Instance UID") @PathParam("studyUid") String studyUid,
                         @Context HttpServerRequest request) throws SQLException {
        Optional<StudyView> study = queries.study(studyUid);
        audit.record(request, "GET /api/studies/{studyUid}", Map.of(), studyUid.length() > 64 ? null : studyUid,
                study.isPresent() ? "success" : "not-found", Map.of());
        return study.orElseThrow(() -> new NotFoundException("no study " + studyUid));
    }

    @GET
    @Path("/{studyUid}/series/{seriesUid}/thumbnail.png")
    @Produces("image/png")
    @Operation(summary = "Thumbnail of a series' latest result",
            description = "A slice through the middle of the segmented region (or of the series) of the source series, CT windowed "
                    + "at [-160, 240] HU, with the latest SEG's segments blended on top in colour.")
    @APIResponse(responseCode = "200", description = "the PNG")
    @APIResponse(responseCode = "404", description = "the series has no result")
    @APIResponse(responseCode = "500", description = "the spool no longer holds the SEG or its source instances")
    public byte[] thumbnail(@Parameter(description = "Study Instance UID") @PathParam("studyUid") String studyUid,
                            @Parameter(description = "Series Instance UID of the source series") @PathParam("seriesUid") String seriesUid,
                            @Context HttpServerRequest request) throws SQLException {
        String study = studyUid.length() > 64 ? null : studyUid;
        Optional<byte[]> png;
        try {
            png = thumbnails.png(studyUid, seriesUid);
        } catch (IOException e) {
            audit.record(request, "GET /api/studies/{studyUid}/series/{seriesUid}/thumbnail.png", Map.of("seriesUid", seriesUid),
                    study, "error", Map.of());
            throw new InternalServerErrorException("no thumbnail for series " + seriesUid + ": " + e.getMessage(), e);
        }
        audit.record(request, "GET /api/studies/{studyUid}/series/{seriesUid}/thumbnail.png", Map.of("seriesUid", seriesUid),
                study, png.isPresent() ? "success" : "not-found", Map.of());
        return png.orElseThrow(() -> new NotFoundException("no result for series " + seriesUid + " of study " + studyUid));
    }

    private static StudyStatus status(String status) {
        if (blankToNull(status) == null) return null;
        try {
            return StudyStatus.ofLabel(status);
        } catch (IllegalArgumentException e) {
            throw new BadRequestException(e.getMessage());
        }
    }
}
