package org.seggateway.gateway.security;

import static io.restassured.RestAssured.given;

import io.restassured.specification.RequestSpecification;

/** The test profile's users (application.properties): user ROLE, password test-ROLE, role ROLE. */
public final class TestUsers {
    private TestUsers() {}

    /** A request with HTTP Basic credentials of the test user holding {@code role}. */
    public static RequestSpecification as(String role) {
        return given().auth().preemptive().basic(role, "test-" + role);
    }

    public static RequestSpecification asViewer() {
        return as(Roles.VIEWER);
    }
}
