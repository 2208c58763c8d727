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
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
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
    static final int MAX_WINDOW = 10_000, MIN_LEVEL = -2_000, MAX_LEVEL = 10_000;
    private final StudyQueries queries;
    private final SeriesThumbnails thumbnails;
    private final ResultVolumes results;
    private final ViewerLinks viewerLinks;
    private final ApiReadAudit audit;

    StudiesResource(StudyQueries queries, SeriesThumbnails thumbnails, ResultVolumes results, ViewerLinks viewerLinks,
                    ApiReadAudit audit) {
        this.queries = queries;
        this.thumbnails = thumbnails;
        this.results = results;
        this.viewerLinks = viewerLinks;
        this.audit = audit;
    }

    @GET
    @Operation(summary = "Studies, most recently received first (or in the order of sort)",
            description = "Each study with its reading columns (patient name and ID, accession, study date and description, "
                    + "modalities, body parts, status and when it changed, models, measurement summary, warnings, viewer link), "
                    + "its series, the jobs run over each (newest first: model name and version, state, reason, timings), each "
                    + "job's SEG (result version, SOP Instance and Series UIDs, measurements) and its deliveries.")
    @APIResponse(responseCode = "200", description = "one page of studies")
    @APIResponse(responseCode = "400", description = "a malformed parameter, named in the error")
    public StudyPage list(
            @Parameter(description = "Accession Number, exact") @QueryParam("accession") String accession,
            @Parameter(description = "Patient ID, exact") @QueryParam("patientId") String patientId,
            @Parameter(description = "Patient's Name: a part of it, case-insensitive (as sent: Family^Given)")
            @QueryParam("patientName") String patientName,
            @Parameter(description = "Study Instance UID") @QueryParam("studyUid") String studyUid,
            @Parameter(description = "studies with an instance received at or after this time (ISO-8601 instant, or a date: its start, UTC)")
            @QueryParam("from") String from,
            @Parameter(description = "studies first received before this time (ISO-8601 instant, or a date: up to its end, UTC)")
            @QueryParam("to") String to,
            @Parameter(description = "Study Date on or after this date (YYYY-MM-DD)") @QueryParam("studyDateFrom") String studyDateFrom,
            @Parameter(description = "Study Date on or before this date (YYYY-MM-DD)") @QueryParam("studyDateTo") String studyDateTo,
            @Parameter(description = "Study Description: a part of it, case-insensitive") @QueryParam("description") String description,
            @Parameter(description = "a series of the study has this Modality (e.g. CT), case-insensitive")
            @QueryParam("modality") String modality,
            @Parameter(description = "a series of the study has this Body Part Examined, case-insensitive")
            @QueryParam("bodyPart") String bodyPart,
            @Parameter(description = "a model (name and version) of a latest job: a part of it, case-insensitive")
            @QueryParam("model") String model,
            @Parameter(description = "true: studies whose latest jobs have warnings; false: those without")
            @QueryParam("warnings") String warnings,
            @Parameter(description = "failed, receiving, processing, delivering, delivered, done or no-job") @QueryParam("status") String status,
            @Parameter(description = "the column to sort by, with a leading '-' for descending: received (default -received), "
                    + "patientName, patientId, accession, studyDate, description, modality, bodyPart, status, aiTime, models, warnings")
            @QueryParam("sort") String sort,
            @Parameter(description = "page number from 0") @QueryParam("page") @DefaultValue("0") int page,
            @Parameter(description = "studies per page, 1 to " + MAX_PAGE_SIZE) @QueryParam("size") @DefaultValue("50") int size,
            @Context HttpServerRequest request) throws SQLException {
        checkPage(page, size, MAX_PAGE_SIZE);
        StudyFilter filter = new StudyFilter(blankToNull(accession), blankToNull(patientId), blankToNull(studyUid),
                time("from", from, false), time("to", to, true), status(status), text("patientName", patientName),
                date("studyDateFrom", studyDateFrom), date("studyDateTo", studyDateTo), text("description", description),
                text("modality", modality), text("bodyPart", bodyPart), text("model", model), bool("warnings", warnings));
        StudySort.Order order = order(sort);
        StudyPage answer = queries.page(filter, order, page, size);
        answer = new StudyPage(answer.page(), answer.size(), answer.total(), answer.studies().stream().map(viewerLinks::link).toList());
        Map<String, Object> query = new LinkedHashMap<>();
        query.put("accession", filter.accessionNumber());
        query.put("patientId", filter.patientId());
        query.put("patientName", filter.patientName());
        query.put("studyUid", filter.studyInstanceUid());
        query.put("from", from);
        query.put("to", to);
        query.put("studyDateFrom", studyDateFrom);
        query.put("studyDateTo", studyDateTo);
        query.put("description", filter.description());
        query.put("modality", filter.modality());
        query.put("bodyPart", filter.bodyPart());
        query.put("model", filter.model());
        query.put("warnings", filter.warnings());
        query.put("status", filter.status() == null ? null : filter.status().label());
        query.put("sort", order.label());
        query.put("page", page);
        query.put("size", size);
        audit.record(request, "GET /api/studies", query, filter.studyInstanceUid(), "success",
                Map.of("total", answer.total(), "studies", answer.studies().stream().map(StudyView::studyInstanceUid).toList()));
        return answer;
    }

    @GET
    @Path("/{studyUid}")
    @Operation(summary = "One study", description = "The study with its reading columns, series, jobs, SEG results and deliveries.")
    @APIResponse(responseCode = "200", description = "the study")
    @APIResponse(responseCode = "404", description = "no series of this study was received")
    public StudyView get(@Parameter(description = "Study Instance UID") @PathParam("studyUid") String studyUid,
                         @Context HttpServerRequest request) throws SQLException {
        Optional<StudyView> study = queries.study(studyUid).map(viewerLinks::link);
        audit.record(request, "GET /api/studies/{studyUid}", Map.of(), studyUid.length() > 64 ? null : studyUid,
                study.isPresent() ? "success" : "not-found", Map.of());
        return study.orElseThrow(() -> new NotFoundException("no study " + studyUid));
    }

    @GET
    @Path("/{studyUid}/series/{seriesUid}/planes")
    @Operation(summary = "The planes of a series' latest result",
            description = "How many slices each plane (axial, coronal, sagittal) has, and which to show first (the middle of "
                    + "the labelled ones); whether the series is CT.")
    @APIResponse(responseCode = "200", description = "the planes")
    @APIResponse(responseCode = "404", description = "the series has no result")
    @APIResponse(responseCode = "500", description = "the spool no longer holds the SEG or its source instances")
    public PlanesView planes(@Parameter(description = "Study Instance UID") @PathParam("studyUid") String studyUid,
                             @Parameter(description = "Series Instance UID of the source series") @PathParam("seriesUid") String seriesUid,
                             @Context HttpServerRequest request) throws SQLException {
        String endpoint = "GET /api/studies/{studyUid}/series/{seriesUid}/planes";
        ResultVolumes.Loaded loaded = load(request, endpoint, Map.of("seriesUid", seriesUid), studyUid, seriesUid, true);
        Map<String, PlanesView.PlaneExtent> planes = new LinkedHashMap<>();
        for (Plane p : Plane.values())
            planes.put(p.label(), new PlanesView.PlaneExtent(PlaneRenderer.count(loaded.volume().geometry(), p),
                    PlaneRenderer.initial(loaded.labels(), p)));
        return new PlanesView(loaded.ct(), planes);
    }

    @GET
    @Path("/{studyUid}/series/{seriesUid}/planes/{plane}/{index}.png")
    @Produces("image/png")
    @Operation(summary = "One slice of a series' latest result on one plane",
            description = "The source series on the plane (axial: an image; coronal: a row of every image; sagittal: a column), "
                    + "head up, physical aspect kept, with the latest SEG's segments blended on top in colour. CT is windowed "
                    + "by window and level in HU (default 400 and 40); other modalities at the slice's own range unless both are given.")
    @APIResponse(responseCode = "200", description = "the PNG")
    @APIResponse(responseCode = "400", description = "an unknown plane, an index that is not a number or outside the plane, "
            + "a window or level out of range")
    @APIResponse(responseCode = "404", description = "the series has no result")
    @APIResponse(responseCode = "500", description = "the spool no longer holds the SEG or its source instances")
    public byte[] plane(@Parameter(description = "Study Instance UID") @PathParam("studyUid") String studyUid,
                        @Parameter(description = "Series Instance UID of the source series") @PathParam("seriesUid") String seriesUid,
                        @Parameter(description = "axial, coronal or sagittal") @PathParam("plane") String planeName,
                        @Parameter(description = "slice index from 0") @PathParam("index") String indexText,
                        @Parameter(description = "window width, 1 to " + MAX_WINDOW) @QueryParam("window") String windowText,
                        @Parameter(description = "window centre, " + MIN_LEVEL + " to " + MAX_LEVEL) @QueryParam("level") String levelText,
                        @Context HttpServerRequest request) throws SQLException {
        String endpoint = "GET /api/studies/{studyUid}/series/{seriesUid}/planes/{plane}/{index}.png";
        Map<String, Object> query = new LinkedHashMap<>();
        query.put("seriesUid", seriesUid);
        query.put("plane", planeName);
        query.put("index", indexText);
        query.put("window", windowText);
        query.put("level", levelText);
        Plane plane;
        int index;
        Integer window, level;
        try {
            plane = Plane.ofLabel(planeName);
            index = integer("index", indexText, 0, Integer.MAX_VALUE);
            window = windowText == null ? null : integer("window", windowText, 1, MAX_WINDOW);
            level = levelText == null ? null : integer("level", levelText, MIN_LEVEL, MAX_LEVEL);
        } catch (IllegalArgumentException e) {
            audit.record(request, endpoint, query, auditedStudy(studyUid), "bad-request", Map.of());
            throw new BadRequestException(e.getMessage());
        }
        ResultVolumes.Loaded loaded = load(request, endpoint, query, studyUid, seriesUid, false);
        float[] ramp = null;
        if (window != null && level != null || loaded.ct()) {
            int w = window != null ? window : PlanesView.DEFAULT_WINDOW, l = level != null ? level : PlanesView.DEFAULT_LEVEL;
            ramp = new float[] {l - w / 2f, l + w / 2f};
        }
        byte[] png;
        try {
            png = ThumbnailRenderer.png(PlaneRenderer.render(loaded.volume(), loaded.labels(), plane, index, ramp));
        } catch (IndexOutOfBoundsException e) {
            audit.record(request, endpoint, query, auditedStudy(studyUid), "bad-request", Map.of());
            throw new BadRequestException(e.getMessage());
        } catch (IOException e) {
            audit.record(request, endpoint, query, auditedStudy(studyUid), "error", Map.of());
            throw new InternalServerErrorException("no picture of series " + seriesUid + ": " + e.getMessage(), e);
        }
        audit.record(request, endpoint, query, auditedStudy(studyUid), "success", Map.of());
        return png;
    }

    /**
     * The latest result of a series, its read audited when it fails; on success recorded here only with
     * {@code recordSuccess} (the caller records it otherwise, once it knows the outcome).
     */
    private ResultVolumes.Loaded load(HttpServerRequest request, String endpoint, Map<String, ?> query, String studyUid,
                                      String seriesUid, boolean recordSuccess) throws SQLException {
        Optional<ResultVolumes.Loaded> loaded;
        try {
            loaded = results.latest(studyUid, seriesUid);
        } catch (IOException e) {
            audit.record(request, endpoint, query, auditedStudy(studyUid), "error", Map.of());
            throw new InternalServerErrorException("no picture of series " + seriesUid + ": " + e.getMessage(), e);
        }
        if (loaded.isEmpty()) {
            audit.record(request, endpoint, query, auditedStudy(studyUid), "not-found", Map.of());
            throw new NotFoundException("no result for series " + seriesUid + " of study " + studyUid);
        }
        if (recordSuccess) audit.record(request, endpoint, query, auditedStudy(studyUid), "success", Map.of());
        return loaded.get();
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

    private static String auditedStudy(String studyUid) {
        return studyUid.length() > 64 ? null : studyUid;
    }

    private static int integer(String name, String value, int min, int max) {
        int v;
        try {
            v = Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " is not a whole number: " + value);
        }
        if (v < min || v > max) throw new IllegalArgumentException(name + " must be " + min + " to " + max + ": " + value);
        return v;
    }

    /** A part of a value to look for; at most 64 characters (the longest a DICOM LO value may be). */
    private static String text(String name, String value) {
        String v = blankToNull(value);
        if (v != null && v.length() > 64) throw new BadRequestException(name + " is longer than 64 characters");
        return v;
    }

    private static LocalDate date(String name, String value) {
        String v = blankToNull(value);
        if (v == null) return null;
        try {
            return LocalDate.parse(v);
        } catch (DateTimeParseException e) {
            throw new BadRequestException(name + " is not a date (YYYY-MM-DD): " + value);
        }
    }

    private static Boolean bool(String name, String value) {
        String v = blankToNull(value);
        if (v == null) return null;
        if (v.equalsIgnoreCase("true")) return true;
        if (v.equalsIgnoreCase("false")) return false;
        throw new BadRequestException(name + " must be true or false: " + value);
    }

    private static StudySort.Order order(String sort) {
        if (blankToNull(sort) == null) return StudySort.DEFAULT;
        try {
            return StudySort.parse(sort);
        } catch (IllegalArgumentException e) {
            throw new BadRequestException(e.getMessage());
        }
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
