package org.seggateway.gateway.security;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.containsStringIgnoringCase;
import static org.assertj.core.api.Assertions.assertThat;
import static org.seggateway.gateway.security.TestUsers.as;

import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/** Every API path: 401 without credentials or with a wrong password, 403 with a wrong role, 200 with a right one. */
@QuarkusTest
class AccessControlTest {
    @Inject
    DataSource dataSource;
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
            new Endpoint("/api/routes", Set.of(Roles.ADMIN)),
            new Endpoint("/api/routes/test-ct", Set.of(Roles.ADMIN)),
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
    void aBearerTokenIsRefusedWhileOidcIsOff() {
        // OIDC is off in this profile (the default): a token is not checked at all, the caller stays anonymous
        given().header("Authorization", "Bearer eyJhbGciOiJSUzI1NiJ9.e30.c2ln").get("/api/jobs").then().statusCode(401)
                .header("WWW-Authenticate", containsStringIgnoringCase("basic"));
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
                .body(containsString("/api/reprocess/{id}/cancel")).body(containsString("/api/routes/{name}"));
    }

    @Test
    void theApiDescriptionOffersBasicOnlyWhileOidcIsOff() {
        var doc = given().get("/q/openapi?format=json").then().statusCode(200).extract().jsonPath();
        assertThat(doc.getMap("components.securitySchemes")).containsOnlyKeys("basic");
        assertThat(doc.getString("components.securitySchemes.basic.scheme")).isEqualTo("basic");
        assertThat(doc.getList("paths.'/api/jobs'.get.security"))
                .containsExactly(Map.of("basic", List.of(Roles.VIEWER, Roles.OPERATOR, Roles.ADMIN)));
    }

    @Test
    void everyDeniedApiRequestIsRecordedInTheAuditTrail() throws Exception {
        String marker = UUID.randomUUID().toString();
        given().get("/api/jobs/" + marker + "?patientId=PATIENT-SECRET").then().statusCode(401);
        given().auth().preemptive().basic(Roles.VIEWER, "wrong").get("/api/jobs/" + marker + "/wrong-password").then().statusCode(401);
        as(Roles.AUDITOR).get("/api/jobs/" + marker).then().statusCode(403);
        as(Roles.VIEWER).delete("/api/audit/" + marker).then().statusCode(403);
        // the path policy lets admins through to any /api path; this resource's @RolesAllowed then refuses them
        as(Roles.ADMIN).get("/api/test-only/operator/" + marker).then().statusCode(403);
        as(Roles.VIEWER).get("/api/jobs/" + marker + "-allowed").then().statusCode(404);

        List<String> rows = ApiAuditRows.denied(dataSource, marker, 5);

        assertThat(rows).containsExactlyInAnyOrder(
                "anonymous 127.0.0.1 unauthorized GET /api/jobs/" + marker + " 401",
                "anonymous 127.0.0.1 unauthorized GET /api/jobs/" + marker + "/wrong-password 401",
                "auditor 127.0.0.1 forbidden GET /api/jobs/" + marker + " 403",
                "viewer 127.0.0.1 forbidden DELETE /api/audit/" + marker + " 403",
                "admin 127.0.0.1 forbidden GET /api/test-only/operator/" + marker + " 403");
        assertThat(String.join("\n", rows)).doesNotContain("PATIENT-SECRET");
    }
}
