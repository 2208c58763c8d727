package org.seggateway.gateway.security;

import io.quarkus.oidc.IdTokenCredential;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.SecurityIdentityAugmentor;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * Sessions signed out at {@code /signout} ({@link SignOutResource}), refused from then on. The session cookie holds the session's tokens
 * (encrypted) and nothing on the server; clearing it in the browser ends the session there, but a copy of the cookie
 * would stay valid until its ID token expires. So the ID token of each ended session is remembered (its SHA-256) until
 * it has expired, and an identity built from it is refused. In memory: with several gateways behind one address, a
 * copied cookie stays valid at the others until expiry (keep ID tokens short-lived at the identity provider).
 */
@ApplicationScoped
public class EndedSessions implements SecurityIdentityAugmentor {
    /** Beyond the ID token's expiry the session cookie lives at most quarkus.oidc.authentication.session-age-extension. */
    private static final Duration KEEP_AFTER_EXPIRY = Duration.ofHours(1);

    /** ID token hash to when it may be forgotten. */
    private final Map<String, Instant> ended = new ConcurrentHashMap<>();

    /** From now on, refuses the session {@code identity} came from (its ID token). */
    void end(SecurityIdentity identity) {
        IdTokenCredential idToken = identity.getCredential(IdTokenCredential.class);
        if (idToken == null || idToken.getToken() == null) return;
        Instant now = Instant.now();
        ended.values().removeIf(forgetAt -> forgetAt.isBefore(now));
        long expires = identity.getPrincipal() instanceof JsonWebToken jwt && jwt.getExpirationTime() > 0 ? jwt.getExpirationTime()
                : now.getEpochSecond();
        ended.put(hash(idToken.getToken()), Instant.ofEpochSecond(expires).plus(KEEP_AFTER_EXPIRY));
    }

    @Override
    public Uni<SecurityIdentity> augment(SecurityIdentity identity, AuthenticationRequestContext context) {
        if (ended.isEmpty() || identity.isAnonymous()) return Uni.createFrom().item(identity);
        IdTokenCredential idToken = identity.getCredential(IdTokenCredential.class);
        if (idToken != null && idToken.getToken() != null && ended.containsKey(hash(idToken.getToken())))
            return Uni.createFrom().failure(new AuthenticationFailedException("this session was signed out"));
        return Uni.createFrom().item(identity);
    }

    private static String hash(String token) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.US_ASCII)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
