package org.seggateway.gateway.security;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.seggateway.gateway.security.TestUsers.as;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.seggateway.gateway.audit.ApiDeniedAudit;

/** Wrong passwords from one address lock it out (429, even with the right password) for the lockout, then it may sign in again. */
@QuarkusTest
@TestProfile(LoginThrottleTest.Limits.class)
class LoginThrottleTest {
    public static class Limits implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("seg-gateway.http.login-failures.max", "3", "seg-gateway.http.login-failures.window", "1m",
                    "seg-gateway.http.login-failures.lockout", "3s");
        }
    }

    @Inject
    DataSource dataSource;
    @Inject
    ApiDeniedAudit deniedAudit;

    @Test
    void wrongPasswordsLockTheAddressOutForTheLockout() throws Exception {
        String marker = UUID.randomUUID().toString();
        as(Roles.VIEWER).get("/api/jobs").then().statusCode(200);
        given().get("/api/jobs/" + marker).then().statusCode(401); // no credentials: not a failed sign-in
        for (int i = 0; i < 3; i++)
            given().auth().preemptive().basic(Roles.VIEWER, "guess-" + i).get("/api/jobs/" + marker).then().statusCode(401);
        long lockedAt = System.nanoTime();
        as(Roles.VIEWER).get("/api/jobs/" + marker).then().statusCode(429).header("Retry-After", containsString(""))
                .body(containsString("too many failed sign-ins"));
        given().auth().preemptive().basic(Roles.VIEWER, "guess-4").get("/api/jobs/" + marker).then().statusCode(429);
        while (System.nanoTime() - lockedAt < 3_500_000_000L) Thread.sleep(100);
        as(Roles.VIEWER).get("/api/jobs").then().statusCode(200);
        // the failures were cleared by the sign-in: two more do not lock
        for (int i = 0; i < 2; i++)
            given().auth().preemptive().basic(Roles.VIEWER, "again-" + i).get("/api/jobs/" + marker).then().statusCode(401);
        as(Roles.VIEWER).get("/api/jobs").then().statusCode(200);

        deniedAudit.flush();
        assertThat(ApiAuditRows.denied(dataSource, marker, 8)).filteredOn(r -> r.contains(" 429")).hasSize(2)
                .allMatch(r -> r.startsWith("anonymous 127.0.0.1 throttled GET /api/jobs/" + marker));
    }
}
