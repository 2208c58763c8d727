package org.seggateway.gateway.security;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import org.eclipse.microprofile.openapi.annotations.Operation;

/**
 * {@code GET /signout}: the OIDC logout path ({@code quarkus.oidc.logout.path}). A request with a valid session cookie
 * never gets here: the OIDC mechanism clears the cookie and redirects to the identity provider's end-session
 * endpoint. Without a session (already signed out, expired, or OIDC off) there is nothing to end: back to the page.
 */
@Path("/signout")
public class SignOutResource {
    @GET
    @Operation(hidden = true)
    public Response nothingToEnd() {
        return Response.seeOther(URI.create("/")).header("Cache-Control", "no-store").build();
    }
}
