package org.seggateway.gateway.security;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.anyOf;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.nullValue;

import io.quarkus.test.junit.QuarkusTest;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

/**
 * The test profile's users carry bcrypt hashes ($2a$ viewer, $2y$ auditor, $2b$ admin): their passwords sign in, a
 * wrong password or an unknown user is 401.
 */
@QuarkusTest
class LocalUserSignInTest {
    @Test
    void aBcryptHashedUserSignsInAndAWrongPasswordIs401() {
        for (String user : new String[] {Roles.VIEWER, Roles.AUDITOR, Roles.ADMIN})
            assertThat(ConfigProvider.getConfig().getValue("seg-gateway.users." + user + ".password-hash", String.class))
                    .matches("\\$2[aby]\\$10\\$.{53}");
        given().auth().preemptive().basic(Roles.VIEWER, "test-viewer").get("/api/jobs").then().statusCode(200);
        given().auth().preemptive().basic(Roles.AUDITOR, "test-auditor").get("/api/audit").then().statusCode(200);
        given().auth().preemptive().basic(Roles.ADMIN, "test-admin").get("/api/jobs").then().statusCode(200);
        given().auth().preemptive().basic(Roles.VIEWER, "test-viewer ").get("/api/jobs").then().statusCode(401);
        given().auth().preemptive().basic(Roles.VIEWER, "test-operator").get("/api/jobs").then().statusCode(401);
        given().auth().preemptive().basic("nobody", "test-viewer").get("/api/jobs").then().statusCode(401);
    }

    @Test
    void theSessionEndpointTellsThePageToUseBasicAndWhoIsSignedIn() {
        given().get("/api/session").then().statusCode(200).body("mode", equalTo("basic")).body("user", nullValue())
                .body("signIn", nullValue());
        given().auth().preemptive().basic(Roles.AUDITOR, "test-auditor").get("/api/session").then().statusCode(200)
                .body("mode", equalTo("basic")).body("user", equalTo(Roles.AUDITOR)).body("roles", contains(Roles.AUDITOR));
        // no OIDC tenant: the sign-in path of the identity provider is no way in
        given().redirects().follow(false).get("/signin").then().statusCode(anyOf(is(401), is(403)));
    }
}
