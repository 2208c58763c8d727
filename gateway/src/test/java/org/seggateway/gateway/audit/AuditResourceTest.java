package org.seggateway.gateway.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.seggateway.gateway.security.TestUsers.as;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.seggateway.gateway.security.Roles;

@QuarkusTest
class AuditResourceTest {
    @Inject
    AuditTrail trail;

    private static RequestSpecification asAuditor() {
        return as(Roles.AUDITOR);
    }

    @Test
    void filtersByUserTypeStudyAndTimeNewestFirstAndRecordsTheRead() throws Exception {
        String actor = "tester-" + UUID.randomUUID(), study = "1.2.9." + System.nanoTime();
        Instant before = Instant.now();
        List<Long> ids = new ArrayList<>();
        ids.add(trail.append(new AuditEvent("test.alpha", actor, "10.1.1.1", study, "success", Map.of("n", 1))));
        ids.add(trail.append(new AuditEvent("test.beta.x", actor, null, null, "refused", Map.of("n", 2))));
        ids.add(trail.append(new AuditEvent("test.betamax", actor, null, study, "success", Map.of("n", 3, "list", List.of("a")))));

        JsonPath all = asAuditor().queryParam("user", actor).get("/api/audit").then().statusCode(200).extract().jsonPath();
        assertThat(all.getLong("total")).isEqualTo(3);
        assertThat(all.getList("entries.id", Long.class)).containsExactly(ids.get(2), ids.get(1), ids.get(0));
        assertThat(all.getString("entries[2].type")).isEqualTo("test.alpha");
        assertThat(all.getString("entries[2].address")).isEqualTo("10.1.1.1");
        assertThat(all.getString("entries[2].studyInstanceUid")).isEqualTo(study);
        assertThat(all.getInt("entries[2].details.n")).isEqualTo(1);
        assertThat(all.getList("entries[0].details.list")).containsExactly("a");
        assertThat(all.getString("entries[0].hash")).hasSize(64).isNotEqualTo(all.getString("entries[0].previousHash"));
        assertThat(all.getString("entries[1].outcome")).isEqualTo("refused");

        assertThat(types(asAuditor().queryParam("user", actor).queryParam("type", "test.beta"))).containsExactly("test.beta.x");
        assertThat(types(asAuditor().queryParam("user", actor).queryParam("type", "test")))
                .containsExactly("test.betamax", "test.beta.x", "test.alpha");
        assertThat(types(asAuditor().queryParam("user", actor).queryParam("type", "test.bet"))).isEmpty();
        assertThat(types(asAuditor().queryParam("studyUid", study))).containsExactly("test.betamax", "test.alpha");
        assertThat(types(asAuditor().queryParam("user", actor).queryParam("from", before.toString())
                .queryParam("to", Instant.now().plusSeconds(1).toString()))).hasSize(3);
        assertThat(types(asAuditor().queryParam("user", actor).queryParam("to", "2000-01-01"))).isEmpty();
        JsonPath second = asAuditor().queryParam("user", actor).queryParam("size", 2).queryParam("page", 1).get("/api/audit")
                .then().statusCode(200).extract().jsonPath();
        assertThat(second.getList("entries.id", Long.class)).containsExactly(ids.get(0));
        assertThat(second.getLong("total")).isEqualTo(3);

        // the newest read recorded before this request is the page-1 request above
        JsonPath reads = asAuditor().queryParam("type", ApiReadAudit.TYPE).queryParam("user", Roles.AUDITOR).queryParam("size", 1)
                .get("/api/audit").then().statusCode(200).extract().jsonPath();
        assertThat(reads.getString("entries[0].actor")).isEqualTo(Roles.AUDITOR);
        assertThat(reads.getString("entries[0].details.endpoint")).isEqualTo("GET /api/audit");
        assertThat(reads.getString("entries[0].details.query.user")).isEqualTo(actor);
        assertThat(reads.getInt("entries[0].details.query.page")).isEqualTo(1);
        assertThat(reads.getInt("entries[0].details.returned")).isEqualTo(1);
    }

    @Test
    void refusesMalformedParameters() {
        asAuditor().queryParam("from", "last week").get("/api/audit").then().statusCode(400);
        asAuditor().queryParam("size", 1001).get("/api/audit").then().statusCode(400);
        asAuditor().queryParam("page", -1).get("/api/audit").then().statusCode(400);
    }

    private static List<String> types(RequestSpecification request) {
        return request.get("/api/audit").then().statusCode(200).extract().jsonPath().getList("entries.type");
    }
}
