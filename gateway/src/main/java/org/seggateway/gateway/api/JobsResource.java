package org.seggateway.gateway.api;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.BadRequestException;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import org.seggateway.gateway.jobs.JobState;
import org.seggateway.gateway.security.Roles;

/** {@code GET /api/jobs} (filter by state, paged, newest first) and {@code GET /api/jobs/{id}}. */
@Path("/api/jobs")
@RolesAllowed({Roles.VIEWER, Roles.OPERATOR, Roles.ADMIN})
@Produces(MediaType.APPLICATION_JSON)
public class JobsResource {
    static final int MAX_PAGE_SIZE = 500;
    private final JobQueries queries;

    JobsResource(JobQueries queries) {
        this.queries = queries;
    }

    @GET
    public JobPage list(@QueryParam("state") String state, @QueryParam("page") @DefaultValue("0") int page,
                        @QueryParam("size") @DefaultValue("50") int size) throws SQLException {
        if (page < 0) throw new BadRequestException("page must be 0 or more: " + page);
        if (size < 1 || size > MAX_PAGE_SIZE) throw new BadRequestException("size must be 1 to " + MAX_PAGE_SIZE + ": " + size);
        return queries.page(state(state), page, size);
    }

    @GET
    @Path("/{id}")
    public JobView get(@PathParam("id") String id) throws SQLException {
        UUID uuid;
        try {
            uuid = UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            throw new NotFoundException("no job " + id);
        }
        return queries.job(uuid).orElseThrow(() -> new NotFoundException("no job " + id));
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
