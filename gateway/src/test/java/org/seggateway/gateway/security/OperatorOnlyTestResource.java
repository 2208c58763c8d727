package org.seggateway.gateway.security;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;

/**
 * Exists in the tests only: an /api path whose path policy (admin, the default for /api) and {@code @RolesAllowed}
 * (operator) disagree, so that an admin gets the 403 of {@code @RolesAllowed} rather than of the path policy.
 */
@Path("/api/test-only/operator/{anything}")
public class OperatorOnlyTestResource {
    @GET
    @RolesAllowed(Roles.OPERATOR)
    public String get(@PathParam("anything") String anything) {
        return "ok";
    }
}
