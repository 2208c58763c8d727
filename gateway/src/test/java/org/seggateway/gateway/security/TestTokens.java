package org.seggateway.gateway.security;

import static io.restassured.RestAssured.given;

import io.restassured.specification.RequestSpecification;
import io.smallrye.jwt.build.Jwt;
import io.smallrye.jwt.build.JwtClaimsBuilder;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * Access tokens as {@link OidcTestIssuer} would issue them (RS256, its key id, its issuer, audience seg-gateway, roles
 * in Keycloak's {@code realm_access/roles}), for tests running under {@link OidcTestProfile}.
 */
final class TestTokens {
    private TestTokens() {}

    /** Claims of a token valid for five minutes from now, for the subject {@code sub}, without a user name or roles. */
    static JwtClaimsBuilder claims(String sub) {
        long now = Instant.now().getEpochSecond();
        return Jwt.issuer(issuer()).audience(OidcTestIssuer.AUDIENCE).subject(sub).issuedAt(now).expiresAt(now + 300);
    }

    /** Claims of a valid token for user {@code name} (subject {@code "sub-" + name}) with {@code roles}. */
    static JwtClaimsBuilder claims(String name, String... roles) {
        return claims("sub-" + name).preferredUserName(name).claim("realm_access", Map.of("roles", List.of(roles)));
    }

    /** Signed with the issuer's key. */
    static String sign(JwtClaimsBuilder claims) {
        return sign(claims, issuerKey());
    }

    static String sign(JwtClaimsBuilder claims, PrivateKey key) {
        return claims.jws().keyId(OidcTestIssuer.KEY_ID).sign(key);
    }

    /** A request with a valid token of user {@code name} holding {@code roles}. */
    static RequestSpecification bearer(String name, String... roles) {
        return withToken(sign(claims(name, roles)));
    }

    static RequestSpecification withToken(String token) {
        return given().header("Authorization", "Bearer " + token);
    }

    static String issuer() {
        return ConfigProvider.getConfig().getValue("quarkus.oidc.auth-server-url", String.class);
    }

    private static PrivateKey issuerKey() {
        String encoded = ConfigProvider.getConfig().getValue(OidcTestIssuer.SIGNING_KEY, String.class);
        try {
            return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(encoded)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
