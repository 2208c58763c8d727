package org.seggateway.gateway.security;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import org.eclipse.microprofile.openapi.annotations.Operation;

/**
 * {@code GET /signin} (OIDC on): the redirect URI of the authorization code flow. Reaching this method means the
 * flow is done: the OIDC mechanism (permission {@code signin}, mechanism {@code code}) sent an anonymous browser to
 * the identity provider, checked state and PKCE, exchanged the code and set the session cookie. It sends the browser
 * on to the page, so that the code and state leave the address bar.
 */
@Path("/signin")
public class SignInResource {
    @GET
    @Operation(hidden = true)
    public Response signedIn() {
        return Response.seeOther(URI.create("/")).header("Cache-Control", "no-store").build();
    }
}
