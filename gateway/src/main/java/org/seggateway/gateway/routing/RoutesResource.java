package org.seggateway.gateway.routing;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.security.identity.SecurityIdentity;
import io.vertx.core.http.HttpServerRequest;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.BadRequestException;
import jakarta.ws.rs.ClientErrorException;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.sql.SQLException;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.seggateway.gateway.security.Roles;

/** Routing rules changed at run time, beside the routes of the configuration. Every change is audited. */
@Path("/api/routes")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(Roles.ADMIN)
@Tag(name = "routes", description = "Routing rules: the configured routes and the rules changed at run time (role admin)")
public class RoutesResource {
    /** Strict, so that a misspelt condition is refused instead of silently matching everything. */
    private static final ObjectMapper STRICT = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private final RouteCatalog catalog;
    private final RoutingRules rules;
    private final RoutingRuleValidation validation;
    private final SecurityIdentity identity;

    RoutesResource(RouteCatalog catalog, RoutingRules rules, RoutingRuleValidation validation, SecurityIdentity identity) {
        this.catalog = catalog;
        this.rules = rules;
        this.validation = validation;
        this.identity = identity;
    }

    @GET
    @Operation(summary = "Every route", description = "The routes of the configuration (source configuration) and the rules of the "
            + "database (source database, enabled or not), lowest priority number first: the order in which a completed series "
            + "is matched against the enabled ones.")
    public List<RouteView> list() {
        return catalog.views();
    }

    @GET
    @Path("/{name}")
    @Operation(summary = "One route")
    @APIResponse(responseCode = "404", description = "no route of that name")
    public RouteView get(@Parameter(description = "route name") @PathParam("name") String name) {
        return catalog.view(name).orElseThrow(() -> new NotFoundException("no route '" + name + "'"));
    }

    @PUT
    @Path("/{name}")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Create or replace a routing rule",
            description = "Stores the rule in the database; it is in force at once on this gateway and within "
                    + "seg-gateway.routing-rules.refresh-every on others. Missing values: priority 100, enabled, quietTime 10s, "
                    + "match anything. Models must load as a worker loads them; destinations must be configured. Audited as "
                    + "config.changed with the rule before and after.")
    @RequestBody(content = @Content(schema = @Schema(implementation = RoutingRule.class)))
    @APIResponse(responseCode = "200", description = "replaced")
    @APIResponse(responseCode = "201", description = "created")
    @APIResponse(responseCode = "400", description = "unreadable JSON, unknown field, bad name, duration or regular expression, "
            + "unusable model package, unknown destination")
    @APIResponse(responseCode = "409", description = "a configured route has that name")
    public Response put(@Parameter(description = "rule name") @PathParam("name") String name, String body,
                        @Context HttpServerRequest http) throws SQLException {
        if (catalog.isConfigured(name))
            throw new ClientErrorException("route '" + name + "' is configured (seg-gateway.routes." + name
                    + "): change it in the configuration, or give the rule another name", Response.Status.CONFLICT);
        RouteView rule;
        try {
            rule = validation.check(name, parse(body));
        } catch (RoutingRuleValidation.InvalidRuleException e) {
            throw new BadRequestException(e.getMessage());
        }
        RoutingRules.Stored stored = rules.put(rule, requester(http));
        return (stored.created() ? Response.created(URI.create("/api/routes/" + name)) : Response.ok())
                .entity(stored.rule()).build();
    }

    @DELETE
    @Path("/{name}")
    @Operation(summary = "Delete a routing rule", description = "Series completed from now on no longer take it; jobs it "
            + "created still deliver to its destinations only while the rule exists. Audited as config.changed.")
    @APIResponse(responseCode = "204", description = "deleted")
    @APIResponse(responseCode = "404", description = "no rule of that name")
    @APIResponse(responseCode = "409", description = "a configured route has that name (not deletable at run time)")
    public Response delete(@Parameter(description = "rule name") @PathParam("name") String name, @Context HttpServerRequest http)
            throws SQLException {
        if (catalog.isConfigured(name))
            throw new ClientErrorException("route '" + name + "' is configured (seg-gateway.routes." + name
                    + "): remove it from the configuration", Response.Status.CONFLICT);
        if (!rules.delete(name, requester(http))) throw new NotFoundException("no routing rule '" + name + "'");
        return Response.noContent().build();
    }

    private static RoutingRule parse(String body) throws RoutingRuleValidation.InvalidRuleException {
        if (body == null || body.isBlank()) throw new RoutingRuleValidation.InvalidRuleException("the request holds no rule");
        try {
            return STRICT.readValue(body, RoutingRule.class);
        } catch (JsonProcessingException e) {
            throw new RoutingRuleValidation.InvalidRuleException("the rule is not readable: " + e.getOriginalMessage());
        }
    }

    private RoutingRules.Requester requester(HttpServerRequest http) {
        String address = http == null || http.remoteAddress() == null ? null : http.remoteAddress().hostAddress();
        return new RoutingRules.Requester(identity.getPrincipal().getName(), address);
    }
}
