package org.seggateway.gateway.security;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsStringIgnoringCase;
import static org.seggateway.gateway.security.TestTokens.bearer;
import static org.seggateway.gateway.security.TestTokens.claims;
import static org.seggateway.gateway.security.TestTokens.sign;
import static org.seggateway.gateway.security.TestTokens.withToken;
import static org.seggateway.gateway.security.TestUsers.as;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.seggateway.gateway.security.AccessControlTest.Endpoint;

/**
 * OIDC on, alongside HTTP Basic: bearer tokens signed by a test key are verified against the key the gateway fetched
 * from {@link OidcTestIssuer}'s JWKS (found by discovery); roles come from {@code realm_access/roles}.
 */
@QuarkusTest
@TestProfile(OidcTestProfile.class)
class BearerTokenAccessTest {
    private static final List<String> ROLES = List.of(Roles.VIEWER, Roles.OPERATOR, Roles.AUDITOR, Roles.ADMIN);

    @Inject
    DataSource dataSource;

    @Test
    void everyEndpointTakesAValidTokenWithItsRole() {
        for (Endpoint e : AccessControlTest.ENDPOINTS) {
            for (String role : ROLES) {
                bearer("dr-" + role, role).get(e.path()).then().statusCode(e.allowed().contains(role) ? 200 : 403);
            }
            bearer("dr-nobody").get(e.path()).then().statusCode(403);
            // roles the gateway does not know are no roles
            bearer("dr-other", "offline_access", "uma_authorization").get(e.path()).then().statusCode(403);
        }
        bearer("dr-admin", Roles.ADMIN).get("/api/no-such-thing").then().statusCode(404);
        bearer("dr-viewer", Roles.VIEWER).get("/api/no-such-thing").then().statusCode(403);
    }

    @Test
    void httpBasicStillWorks() {
        for (Endpoint e : AccessControlTest.ENDPOINTS) {
            for (String role : ROLES) as(role).get(e.path()).then().statusCode(e.allowed().contains(role) ? 200 : 403);
            given().auth().preemptive().basic(Roles.VIEWER, "wrong").get(e.path()).then().statusCode(401);
        }
    }

    @Test
    void withoutCredentialsTheAnswerIs401WithAChallenge() {
        // both mechanisms are on; Basic (priority 2000) comes before OIDC (1001), so its challenge is sent
        given().get("/api/jobs").then().statusCode(401).header("WWW-Authenticate", containsStringIgnoringCase("basic"));
    }

    @Test
    void theApiDescriptionOffersBasicAndBearerTokens() {
        var doc = given().get("/q/openapi?format=json").then().statusCode(200).extract().jsonPath();
        assertThat(doc.getMap("components.securitySchemes")).containsOnlyKeys("basic", "bearer");
        assertThat(doc.getString("components.securitySchemes.bearer.scheme")).isEqualTo("bearer");
        assertThat(doc.getString("components.securitySchemes.bearer.description")).contains(TestTokens.issuer());
        List<String> roles = List.of(Roles.AUDITOR);
        assertThat(doc.getList("paths.'/api/audit'.get.security"))
                .containsExactly(Map.of("basic", roles), Map.of("bearer", roles));
    }

    @Test
    void tokensNotIssuedForTheGatewayByItsIssuerAreRefused() {
        long now = Instant.now().getEpochSecond();
        bearer("dr-control", Roles.VIEWER).get("/api/jobs").then().statusCode(200);

        Map<String, String> refused = new LinkedHashMap<>();
        refused.put("expired", sign(claims("dr-late", Roles.VIEWER).issuedAt(now - 900).expiresAt(now - 600)));
        refused.put("wrong key", sign(claims("dr-forged", Roles.VIEWER), OidcTestIssuer.newRsaKeyPair().getPrivate()));
        refused.put("wrong issuer", sign(claims("dr-elsewhere", Roles.VIEWER).issuer("http://127.0.0.1:1/realms/test")));
        refused.put("wrong audience", sign(claims("dr-other-app", Roles.VIEWER).audience("another-service")));
        refused.put("unsigned (alg none)", unsigned(sign(claims("dr-unsigned", Roles.VIEWER))));
        refused.put("not a JWT", "not-a-token");
        refused.forEach((why, token) -> {
            int status = withToken(token).get("/api/jobs").then().extract().statusCode();
            assertThat(status).as(why).isEqualTo(401);
        });
        withToken("not-a-token").get("/api/jobs").then().statusCode(401)
                .header("WWW-Authenticate", containsStringIgnoringCase("bearer"));
    }

    @Test
    void bearerRequestsAreAuditedWithTheTokensUser() throws Exception {
        String marker = UUID.randomUUID().toString();
        String subjectOnly = "sub-" + marker.substring(0, 8);
        bearer("dr-auditor", Roles.AUDITOR).get("/api/jobs/" + marker).then().statusCode(403);
        // a token without preferred_username (e.g. a service account's) is recorded under its subject
        withToken(sign(claims(subjectOnly).claim("realm_access", Map.of("roles", List.of(Roles.VIEWER)))))
                .delete("/api/audit/" + marker).then().statusCode(403);
        long now = Instant.now().getEpochSecond();
        withToken(sign(claims("dr-late", Roles.ADMIN).issuedAt(now - 900).expiresAt(now - 600)))
                .get("/api/jobs/" + marker + "/expired").then().statusCode(401);
        bearer("dr-viewer", Roles.VIEWER).get("/api/jobs/" + marker).then().statusCode(404);

        assertThat(ApiAuditRows.denied(dataSource, marker, 3)).containsExactlyInAnyOrder(
                "dr-auditor 127.0.0.1 forbidden GET /api/jobs/" + marker + " 403",
                subjectOnly + " 127.0.0.1 forbidden DELETE /api/audit/" + marker + " 403",
                "anonymous 127.0.0.1 unauthorized GET /api/jobs/" + marker + "/expired 401");
        assertThat(ApiAuditRows.readsOfJob(dataSource, marker)).containsExactly("dr-viewer not-found GET /api/jobs/{id}");
    }

    /** The token with its header replaced by {"alg":"none"} and its signature dropped. */
    private static String unsigned(String token) {
        String[] parts = token.split("\\.");
        String header = Base64.getUrlEncoder().withoutPadding()
                .encodeToString("{\"alg\":\"none\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8));
        return header + "." + parts[1] + ".";
    }
}
