package org.seggateway.gateway.security;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.containsStringIgnoringCase;
import static org.seggateway.gateway.security.TestUsers.as;

import io.quarkus.test.junit.QuarkusTest;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Every API path: 401 without credentials or with a wrong password, 403 with a wrong role, 200 with a right one. */
@QuarkusTest
class AccessControlTest {
    private static final List<String> ROLES = List.of(Roles.VIEWER, Roles.OPERATOR, Roles.AUDITOR, Roles.ADMIN);

    /** An endpoint that answers 200 to an allowed role, and the roles allowed. */
    record Endpoint(String path, Set<String> allowed) {}

    static final List<Endpoint> ENDPOINTS = List.of(
            new Endpoint("/api/jobs", Set.of(Roles.VIEWER, Roles.OPERATOR, Roles.ADMIN)),
            new Endpoint("/api/jobs?state=done&size=5", Set.of(Roles.VIEWER, Roles.OPERATOR, Roles.ADMIN)),
            new Endpoint("/api/studies", Set.of(Roles.VIEWER, Roles.OPERATOR, Roles.ADMIN)),
            new Endpoint("/api/studies?status=failed&from=2020-01-01", Set.of(Roles.VIEWER, Roles.OPERATOR, Roles.ADMIN)),
            new Endpoint("/api/audit", Set.of(Roles.AUDITOR)),
            new Endpoint("/api/reprocess", Set.of(Roles.OPERATOR, Roles.ADMIN)),
            new Endpoint("/api/audit?type=api&size=5", Set.of(Roles.AUDITOR)));

    @Test
    void everyEndpointNeedsCredentialsAndItsRole() {
        for (Endpoint e : ENDPOINTS) {
            given().get(e.path()).then().statusCode(401).header("WWW-Authenticate", containsStringIgnoringCase("basic"));
            given().auth().preemptive().basic(Roles.VIEWER, "wrong").get(e.path()).then().statusCode(401);
            for (String role : ROLES) as(role).get(e.path()).then().statusCode(e.allowed().contains(role) ? 200 : 403);
        }
    }

    @Test
    void anApiPathWithoutItsOwnRuleIsForAdminsOnly() {
        given().get("/api/no-such-thing").then().statusCode(401);
        as(Roles.VIEWER).get("/api/no-such-thing").then().statusCode(403);
        as(Roles.AUDITOR).get("/api/no-such-thing").then().statusCode(403);
        as(Roles.ADMIN).get("/api/no-such-thing").then().statusCode(404);
    }

    @Test
    void healthMetricsAndTheApiDescriptionStayOpen() {
        given().get("/q/health/live").then().statusCode(200);
        given().get("/q/metrics").then().statusCode(200);
        given().get("/q/openapi").then().statusCode(200).body(containsString("/api/jobs"))
                .body(containsString("/api/studies/{studyUid}")).body(containsString("/api/audit"))
                .body(containsString("/api/reprocess/{id}/cancel"));
    }
}
