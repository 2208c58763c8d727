package org.seggateway.gateway.security;

import io.quarkus.oidc.IdTokenCredential;
import io.quarkus.oidc.OidcConfigurationMetadata;
import io.quarkus.oidc.OidcSession;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.common.annotation.Blocking;
import io.vertx.core.http.HttpServerRequest;
import jakarta.enterprise.inject.Instance;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriBuilder;
import jakarta.ws.rs.core.UriInfo;
import java.net.URI;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.openapi.annotations.Operation;

/**
 * {@code GET /signout} (OIDC on): ends the page's session. The session cookie is cleared ({@link OidcSession#logout}),
 * the session refused from then on also from a copy of its cookie ({@link EndedSessions}), the sign-out audited, and
 * the browser sent to the identity provider's {@code end_session_endpoint} (RP-initiated logout, with
 * {@code id_token_hint} and {@code post_logout_redirect_uri} = the page) where the provider advertises one, else
 * straight back to the page. Done here rather than by {@code quarkus.oidc.logout.path}, which refuses to start the
 * tenant of a provider without an end-session endpoint. Without a session there is nothing to end: back to the page.
 */
@Path("/signout")
public class SignOutResource {
    private final SecurityIdentity identity;
    private final Instance<OidcSession> session;
    private final Instance<OidcConfigurationMetadata> metadata;
    private final EndedSessions ended;
    private final SignInAudit audit;
    private final boolean oidc;

    SignOutResource(SecurityIdentity identity, Instance<OidcSession> session, Instance<OidcConfigurationMetadata> metadata,
                    EndedSessions ended, SignInAudit audit, @ConfigProperty(name = "quarkus.oidc.tenant-enabled") boolean oidc) {
        this.identity = identity;
        this.session = session;
        this.metadata = metadata;
        this.ended = ended;
        this.audit = audit;
        this.oidc = oidc;
    }

    @GET
    @Blocking
    @Operation(hidden = true)
    public Response signOut(@Context UriInfo uri, @Context HttpServerRequest request) {
        URI page = uri.getBaseUriBuilder().replacePath("/").replaceQuery(null).build();
        IdTokenCredential idToken = !oidc || identity.isAnonymous() ? null : identity.getCredential(IdTokenCredential.class);
        if (idToken == null || idToken.getToken() == null)
            return Response.seeOther(page).header("Cache-Control", "no-store").build();
        ended.end(identity);
        session.get().logout().await().indefinitely();
        audit.signedOut(identity, request.remoteAddress() == null ? null : request.remoteAddress().hostAddress());
        String endSession = metadata.get().getEndSessionUri();
        URI next = endSession == null ? page : UriBuilder.fromUri(endSession).queryParam("id_token_hint", idToken.getToken())
                .queryParam("post_logout_redirect_uri", page.toString()).build();
        return Response.status(Response.Status.FOUND).location(next).header("Cache-Control", "no-store").build();
    }
}
