package org.seggateway.gateway.security;

import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.IdentityProvider;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.UsernamePasswordAuthenticationRequest;
import io.quarkus.security.runtime.QuarkusPrincipal;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * HTTP Basic sign-in against {@link LocalUsers}. The bcrypt check takes tens of milliseconds, so it runs on a worker
 * thread, never on the event loop.
 */
@ApplicationScoped
public class LocalUserIdentityProvider implements IdentityProvider<UsernamePasswordAuthenticationRequest> {
    private final LocalUsers users;

    LocalUserIdentityProvider(LocalUsers users) {
        this.users = users;
    }

    @Override
    public Class<UsernamePasswordAuthenticationRequest> getRequestType() {
        return UsernamePasswordAuthenticationRequest.class;
    }

    @Override
    public Uni<SecurityIdentity> authenticate(UsernamePasswordAuthenticationRequest request, AuthenticationRequestContext context) {
        return context.runBlocking(() -> {
            String name = request.getUsername();
            return users.signIn(name, request.getPassword().getPassword())
                    .map(roles -> (SecurityIdentity) QuarkusSecurityIdentity.builder()
                            .setPrincipal(new QuarkusPrincipal(name)).addRoles(roles).build())
                    .orElseThrow(AuthenticationFailedException::new);
        });
    }
}
