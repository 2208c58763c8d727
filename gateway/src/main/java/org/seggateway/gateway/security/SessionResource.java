package org.seggateway.gateway.security;

import io.quarkus.security.identity.SecurityIdentity;
import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * {@code GET /api/session}: how the page signs in (HTTP Basic, or OIDC at {@code /signin}) and who the caller is, if
 * anyone. Open to everyone: it tells a caller nothing but the sign-in mode and their own name and roles.
 */
@Path("/api/session")
@Produces(MediaType.APPLICATION_JSON)
@PermitAll
@Tag(name = "session", description = "How to sign in, and who is signed in (open)")
public class SessionResource {
    /** The page's sign-in mode: {@code oidc} while the OIDC tenant is on, else {@code basic}. */
    public record Session(String mode, String user, List<String> roles, String signIn, String signOut) {}

    private final SecurityIdentity identity;
    private final boolean oidc;

    SessionResource(SecurityIdentity identity, @ConfigProperty(name = "quarkus.oidc.tenant-enabled") boolean oidc) {
        this.identity = identity;
        this.oidc = oidc;
    }

    @GET
    @Operation(summary = "The sign-in mode and the signed-in user",
            description = "mode oidc: the page signs in at signIn (authorization code flow with PKCE at the identity provider; the "
                    + "session is an HttpOnly cookie) and out at signOut; mode basic: HTTP Basic with the gateway's local users. "
                    + "user and roles are null and empty for an anonymous caller.")
    @APIResponse(responseCode = "200", description = "the mode, and the caller's name and gateway roles")
    public Session get() {
        String user = identity.isAnonymous() ? null : identity.getPrincipal().getName();
        List<String> roles = identity.getRoles().stream()
                .filter(r -> List.of(Roles.VIEWER, Roles.OPERATOR, Roles.AUDITOR, Roles.ADMIN).contains(r)).sorted().toList();
        return oidc ? new Session("oidc", user, roles, "/signin", "/signout") : new Session("basic", user, roles, null, null);
    }
}
