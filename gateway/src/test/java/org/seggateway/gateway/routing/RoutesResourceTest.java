package org.seggateway.gateway.routing;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.seggateway.gateway.security.TestUsers.as;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.seggateway.dicomio.synthetic.SyntheticSeries;
import org.seggateway.gateway.queue.PipelineFixture;
import org.seggateway.gateway.security.Roles;

/** Routing rules changed through /api/routes on the real database, and the series they route. */
@QuarkusTest
class RoutesResourceTest {
    private static final String RULE = """
            {"priority": 1, "quietTime": "3s", "match": {"modalities": ["CT"], "minSlices": 3, "seriesDescription": ".*"},
             "models": ["test-model-v2"], "destinations": ["test-pacs"]}""";
    private static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    PipelineFixture pipeline;
    @Inject
    RouteCatalog catalog;
    @TempDir
    Path incoming;

    private final String name = "rule-" + UUID.randomUUID().toString().substring(0, 8);

    @AfterEach
    void removeTheRule() throws Exception {
        pipeline.values("delete from routing_rules where name = ? returning name", name);
        catalog.refresh();
    }

    @Test
    void aRuleCreatedThroughTheApiRoutesACompletedSeriesUntilDisabledOrDeleted() throws Exception {
        as(Roles.ADMIN).contentType(ContentType.JSON).body(RULE).put("/api/routes/" + name).then().statusCode(201)
                .header("Location", containsString("/api/routes/" + name))
                .body("source", equalTo("database")).body("enabled", equalTo(true)).body("quietTime", equalTo("PT3S"))
                .body("changedBy", equalTo("admin")).body("measurementReport", equalTo(true));
        as(Roles.ADMIN).get("/api/routes").then().statusCode(200)
                .body("find { it.name == 'test-ct' }.source", equalTo("configuration"))
                .body("find { it.name == '" + name + "' }.models", equalTo(List.of("test-model-v2")))
                .body("[0].name", equalTo(name)); // priority 1 comes first

        UUID job = pipeline.storeAndComplete(series("routed")).getFirst();
        assertThat(pipeline.string("select route_name || ' ' || model_package from jobs where id = ?", job))
                .isEqualTo(name + " test-model-v2");

        as(Roles.ADMIN).contentType(ContentType.JSON).body(RULE.replace("\"priority\": 1", "\"priority\": 1, \"enabled\": false"))
                .put("/api/routes/" + name).then().statusCode(200).body("enabled", equalTo(false));
        UUID whileDisabled = pipeline.storeAndComplete(series("disabled")).getFirst();
        assertThat(pipeline.string("select route_name from jobs where id = ?", whileDisabled)).isEqualTo("test-ct");

        as(Roles.ADMIN).contentType(ContentType.JSON).body(RULE).put("/api/routes/" + name).then().statusCode(200);
        as(Roles.ADMIN).delete("/api/routes/" + name).then().statusCode(204);
        as(Roles.ADMIN).get("/api/routes/" + name).then().statusCode(404);
        as(Roles.ADMIN).delete("/api/routes/" + name).then().statusCode(404);
        UUID afterDelete = pipeline.storeAndComplete(series("deleted")).getFirst();
        assertThat(pipeline.string("select route_name from jobs where id = ?", afterDelete)).isEqualTo("test-ct");
    }

    @Test
    void everyChangeIsAuditedWithTheUserTheAddressAndTheRuleBeforeAndAfter() throws Exception {
        as(Roles.ADMIN).contentType(ContentType.JSON).body(RULE).put("/api/routes/" + name).then().statusCode(201);
        as(Roles.ADMIN).contentType(ContentType.JSON).body(RULE.replace("\"3s\"", "\"1m\"")).put("/api/routes/" + name)
                .then().statusCode(200);
        as(Roles.ADMIN).delete("/api/routes/" + name).then().statusCode(204);

        List<String> rows = pipeline.values("""
                select actor || ' ' || source_address || ' ' || outcome || ' ' || details::text from audit_events
                where event_type = 'config.changed' and details->>'routingRule' = ? order by id""", name);
        assertThat(rows).hasSize(3);
        assertThat(rows.get(0)).startsWith("admin 127.0.0.1 created ");
        assertThat(rows.get(1)).startsWith("admin 127.0.0.1 replaced ");
        assertThat(rows.get(2)).startsWith("admin 127.0.0.1 deleted ");
        JsonNode replaced = JSON.readTree(rows.get(1).substring(rows.get(1).indexOf('{')));
        assertThat(replaced.at("/before/quietTime").asText()).isEqualTo("PT3S");
        assertThat(replaced.at("/after/quietTime").asText()).isEqualTo("PT1M");
        assertThat(replaced.at("/after/match/modalities/0").asText()).isEqualTo("CT");
        JsonNode deleted = JSON.readTree(rows.get(2).substring(rows.get(2).indexOf('{')));
        assertThat(deleted.at("/before/priority").asInt()).isEqualTo(1);
        assertThat(deleted.get("after").isNull()).isTrue();
    }

    @Test
    void refusesBadRulesWithTheReason() throws Exception {
        bad(RULE.replace("[\"test-pacs\"]", "[\"nowhere\"]"), "unknown destination 'nowhere'");
        bad(RULE.replace("test-model-v2", "no-such-model"), "no-such-model");
        bad(RULE.replace("\".*\"", "\"(unclosed\""), "not a regular expression");
        bad(RULE.replace("\"3s\"", "\"soon\""), "quietTime 'soon' is not a duration");
        bad(RULE.replace("\"3s\"", "\"-5s\""), "quietTime must be positive");
        bad(RULE.replace("\"modalities\"", "\"modality\""), "modality");
        bad(RULE.replace("\"models\": [\"test-model-v2\"]", "\"models\": []"), "models must name at least one");
        bad(RULE.replace("\"models\": [\"test-model-v2\"]", "\"models\": [\"../../../../../../../etc\"]"), "lies outside the model root");
        bad("not json", "not readable");
        as(Roles.ADMIN).contentType(ContentType.JSON).body(RULE).put("/api/routes/bad name!").then().statusCode(400);
        assertThat(pipeline.countOf("select count(*) from routing_rules where name = ?", name)).isZero();
        assertThat(pipeline.countOf("select count(*) from audit_events where details->>'routingRule' = ?", name)).isZero();
    }

    @Test
    void aConfiguredRouteCanBeNeitherReplacedNorDeleted() {
        as(Roles.ADMIN).contentType(ContentType.JSON).body(RULE).put("/api/routes/test-ct").then().statusCode(409)
                .body("error", containsString("configured"));
        as(Roles.ADMIN).delete("/api/routes/test-ct").then().statusCode(409);
        as(Roles.ADMIN).get("/api/routes/test-ct").then().statusCode(200).body("source", equalTo("configuration"))
                .body("match.modalities", equalTo(List.of("CT"))).body("quietTime", equalTo("PT2S"));
    }

    @Test
    void aRuleCanTurnTheMeasurementReportOff() throws Exception {
        String off = RULE.replace("\"priority\": 1", "\"priority\": 1, \"measurementReport\": false");
        as(Roles.ADMIN).contentType(ContentType.JSON).body(off).put("/api/routes/" + name).then().statusCode(201)
                .body("measurementReport", equalTo(false));
        assertThat(pipeline.values("select measurement_report::text from routing_rules where name = ?", name)).containsExactly("false");
        assertThat(catalog.inForce().get(name).measurementReport()).isFalse();
        as(Roles.ADMIN).contentType(ContentType.JSON).body(RULE).put("/api/routes/" + name).then().statusCode(200)
                .body("measurementReport", equalTo(true));
        assertThat(catalog.inForce().get(name).measurementReport()).isTrue();
    }

    @Test
    void aRuleWrittenByAnotherGatewayIsInForceAfterTheRefreshInterval() throws Exception {
        pipeline.values("""
                insert into routing_rules (name, priority, enabled, quiet_time, match, models, destinations, changed_by)
                values (?, 5, true, interval '4 seconds', '{"modalities": ["MR"]}', '["test-model"]', '["test-pacs"]', 'other')
                returning name""", name);
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (!catalog.inForce().containsKey(name) && System.nanoTime() < deadline) Thread.sleep(100);
        assertThat(catalog.inForce()).containsKey(name);
        assertThat(catalog.inForce().get(name).quietTime()).hasSeconds(4);
        assertThat(catalog.view(name).orElseThrow().changedBy()).isEqualTo("other");
    }

    @Test
    void onlyAdminsMayChangeRules() {
        given().contentType(ContentType.JSON).body(RULE).put("/api/routes/" + name).then().statusCode(401);
        for (String role : List.of(Roles.VIEWER, Roles.OPERATOR, Roles.AUDITOR)) {
            as(role).contentType(ContentType.JSON).body(RULE).put("/api/routes/" + name).then().statusCode(403);
            as(role).delete("/api/routes/test-ct").then().statusCode(403);
        }
    }

    private static void bad(String body, String reason) {
        as(Roles.ADMIN).contentType(ContentType.JSON).body(body).put("/api/routes/rule-refused").then().statusCode(400)
                .body("error", containsString(reason));
    }

    private SyntheticSeries.Written series(String folder) throws Exception {
        return SyntheticSeries.ct().size(16, 16, 4).write(incoming.resolve(folder));
    }
}
