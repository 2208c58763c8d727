package org.seggateway.gateway.api;

import io.vertx.core.http.HttpServerRequest;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.BadRequestException;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.seggateway.gateway.audit.ApiReadAudit;
import org.seggateway.gateway.jobs.JobState;
import org.seggateway.gateway.security.Roles;

/**
 * {@code GET /api/jobs} (filter by state, paged, newest first) and {@code GET /api/jobs/{id}}. Every answer (and every
 * 404) is first recorded in the audit trail ({@code api.read}), as the studies are: jobs carry study and series UIDs.
 */
@Path("/api/jobs")
@RolesAllowed({Roles.VIEWER, Roles.OPERATOR, Roles.ADMIN})
@Produces(MediaType.APPLICATION_JSON)
public class JobsResource {
    static final int MAX_PAGE_SIZE = 500;
    private final JobQueries queries;
    private final ApiReadAudit audit;

    JobsResource(JobQueries queries, ApiReadAudit audit) {
        this.queries = queries;
        this.audit = audit;
    }

    @GET
    public JobPage list(@QueryParam("state") String state, @QueryParam("page") @DefaultValue("0") int page,
                        @QueryParam("size") @DefaultValue("50") int size, @Context HttpServerRequest request) throws SQLException {
        if (page < 0) throw new BadRequestException("page must be 0 or more: " + page);
        if (size < 1 || size > MAX_PAGE_SIZE) throw new BadRequestException("size must be 1 to " + MAX_PAGE_SIZE + ": " + size);
        Optional<JobState> filter = state(state);
        JobPage answer = queries.page(filter, page, size);
        Map<String, Object> query = new LinkedHashMap<>();
        query.put("state", filter.map(JobState::column).orElse(null));
        query.put("page", page);
        query.put("size", size);
        audit.record(request, "GET /api/jobs", query, null, "success", Map.of("total", answer.total(),
                "jobs", answer.jobs().stream().map(j -> j.id().toString()).toList(),
                "studies", answer.jobs().stream().map(JobView::studyInstanceUid).distinct().toList()));
        return answer;
    }

    @GET
    @Path("/{id}")
    public JobView get(@PathParam("id") String id, @Context HttpServerRequest request) throws SQLException {
        Optional<JobView> job;
        try {
            job = queries.job(UUID.fromString(id));
        } catch (IllegalArgumentException e) {
            job = Optional.empty();
        }
        audit.record(request, "GET /api/jobs/{id}", Map.of("id", id.length() > 64 ? id.substring(0, 64) : id),
                job.map(JobView::studyInstanceUid).orElse(null), job.isPresent() ? "success" : "not-found",
                job.map(j -> Map.of("seriesInstanceUid", j.seriesInstanceUid())).orElse(Map.of()));
        return job.orElseThrow(() -> new NotFoundException("no job " + id));
    }

    private static Optional<JobState> state(String state) {
        if (state == null || state.isBlank()) return Optional.empty();
        try {
            return Optional.of(JobState.valueOf(state.trim().toUpperCase(Locale.ROOT)));
        } catch (IllegalArgumentException e) {
            throw new BadRequestException("unknown state '" + state + "'; one of "
                    + Arrays.stream(JobState.values()).map(JobState::column).toList());
        }
    }
}
