package org.seggateway.gateway.api;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.notNullValue;
import static org.seggateway.gateway.security.TestUsers.asViewer;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.seggateway.dicomio.synthetic.SyntheticSeries;
import org.seggateway.gateway.queue.PipelineFixture;

@QuarkusTest
class JobsResourceTest {
    @Inject
    PipelineFixture pipeline;
    @Inject
    DataSource dataSource;
    @TempDir
    Path incoming;

    @Test
    void showsAJobWithItsStagesResultAndDeliveries() throws Exception {
        SyntheticSeries.Written ct = SyntheticSeries.ct().size(24, 24, 5).write(incoming.resolve("ct"));
        UUID job = pipeline.storeAndComplete(ct).getFirst();
        pipeline.dispatch(job);
        pipeline.storeResult(job, i -> i == 0, Map.of("inference", 0.25, "total", 0.5));

        JsonPath json = asViewer().get("/api/jobs/" + job).then().statusCode(200).extract().jsonPath();
        assertThat(json.getString("id")).isEqualTo(job.toString());
        assertThat(json.getString("seriesInstanceUid")).isEqualTo(ct.seriesInstanceUid());
        assertThat(json.getString("studyInstanceUid")).isEqualTo(ct.studyInstanceUid());
        assertThat(json.getString("state")).isEqualTo("done");
        assertThat(json.getInt("attempts")).isEqualTo(1);
        assertThat(json.getString("model.name")).isEqualTo("test-threshold");
        assertThat(json.getString("model.version")).isEqualTo("1.2.0");
        assertThat(json.getString("model.packageReference")).isEqualTo("test-model");
        for (String stage : List.of("firstReceived", "lastReceived", "complete", "queued", "finished"))
            assertThat(json.getString("timings." + stage)).as(stage).matches("\\d{4}-\\d\\d-\\d\\dT.*Z");
        assertThat(json.getDouble("timings.stageSeconds.inference")).isEqualTo(0.25);
        assertThat(json.getMap("timings.stageSeconds")).containsKeys("assemble", "publish", "segBuild", "total");
        assertThat(json.getString("result.segSopInstanceUid")).startsWith("2.25.");
        assertThat(json.getInt("result.version")).isEqualTo(1);
        assertThat(json.getList("deliveries.destination")).containsExactly("test-pacs");
        assertThat(json.getList("deliveries.state")).containsExactly("pending");

        asViewer().queryParam("state", "done").get("/api/jobs").then().statusCode(200)
                .body("jobs.id", hasItem(job.toString())).body("jobs.state", org.hamcrest.Matchers.everyItem(equalTo("done")))
                .body("total", notNullValue()).body("jobs[0].deliveries", org.hamcrest.Matchers.nullValue());
    }

    @Test
    void listsNewestFirstInPages() throws Exception {
        UUID older = pipeline.storeAndComplete(SyntheticSeries.ct().size(8, 8, 2).write(incoming.resolve("a"))).getFirst();
        UUID newer = pipeline.storeAndComplete(SyntheticSeries.ct().size(8, 8, 2).write(incoming.resolve("b"))).getFirst();
        JsonPath page = asViewer().queryParam("state", "complete").queryParam("size", 500).get("/api/jobs").then().statusCode(200)
                .extract().jsonPath();
        List<String> ids = page.getList("jobs.id");
        assertThat(ids).contains(older.toString(), newer.toString());
        assertThat(ids.indexOf(newer.toString())).isLessThan(ids.indexOf(older.toString()));
        assertThat(page.getLong("total")).isEqualTo(ids.size());

        JsonPath first = asViewer().queryParam("size", 1).get("/api/jobs").then().statusCode(200).extract().jsonPath();
        assertThat(first.getList("jobs")).hasSize(1);
        assertThat(first.getLong("total")).isGreaterThanOrEqualTo(2);
        JsonPath second = asViewer().queryParam("size", 1).queryParam("page", 1).get("/api/jobs").then().extract().jsonPath();
        assertThat(second.getString("jobs[0].id")).isNotEqualTo(first.getString("jobs[0].id"));
    }

    @Test
    void refusesAnUnknownStateAndAnswers404ForAnUnknownJob() {
        asViewer().queryParam("state", "lost").get("/api/jobs").then().statusCode(400);
        asViewer().queryParam("size", 0).get("/api/jobs").then().statusCode(400);
        asViewer().get("/api/jobs/" + UUID.randomUUID()).then().statusCode(404);
        asViewer().get("/api/jobs/not-a-uuid").then().statusCode(404);
    }

    @Test
    void namesItsReadinessChecksAndExportsMetrics() throws Exception {
        pipeline.storeAndComplete(SyntheticSeries.ct().size(8, 8, 2).write(incoming.resolve("m")));
        given().get("/q/health/ready").then().statusCode(200)
                .body("checks.name", hasItem("database")).body("checks.name", hasItem("kafka"));
        given().get("/q/metrics").then().statusCode(200)
                .body(containsString("seggateway_jobs{state=\"complete\"}"))
                .body(containsString("seggateway_series_completed_total"))
                .body(containsString("seggateway_jobs_queued_total"));
    }

    @Test
    void everyReadIsRecordedInTheAuditTrailWithTheStudiesAnswered() throws Exception {
        SyntheticSeries.Written ct = SyntheticSeries.ct().size(8, 8, 2).write(incoming.resolve("audited"));
        UUID job = pipeline.storeAndComplete(ct).getFirst();
        UUID missing = UUID.randomUUID();

        asViewer().get("/api/jobs/" + job).then().statusCode(200);
        asViewer().get("/api/jobs/" + missing).then().statusCode(404);
        String state = "complete";
        List<String> listed = asViewer().queryParam("state", state).queryParam("size", 500).get("/api/jobs").then().statusCode(200)
                .extract().jsonPath().getList("jobs.id");
        assertThat(listed).contains(job.toString());
        asViewer().queryParam("size", 0).get("/api/jobs").then().statusCode(400);

        assertThat(reads("details->'query'->>'id' = ?", job.toString())).containsExactly(
                "viewer 127.0.0.1 success " + ct.studyInstanceUid() + " GET /api/jobs/{id} " + ct.seriesInstanceUid());
        assertThat(reads("details->'query'->>'id' = ?", missing.toString())).containsExactly(
                "viewer 127.0.0.1 not-found - GET /api/jobs/{id} -");
        List<String> lists = reads("details->>'endpoint' = 'GET /api/jobs' and details->'jobs' @> jsonb_build_array(?::text)", job.toString());
        assertThat(lists).singleElement().satisfies(row -> assertThat(row).startsWith("viewer 127.0.0.1 success - GET /api/jobs")
                .contains("\"state\": \"complete\"").contains("\"size\": 500").contains(ct.studyInstanceUid()));
    }

    /** "actor address outcome study endpoint (series or details)" of the api.read rows matching {@code where}. */
    private List<String> reads(String where, String parameter) throws Exception {
        List<String> rows = new ArrayList<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement("""
                select actor || ' ' || source_address || ' ' || outcome || ' ' || coalesce(study_instance_uid, '-') || ' '
                       || (details->>'endpoint') || ' '
                       || case when details->>'endpoint' = 'GET /api/jobs' then details::text
                               else coalesce(details->>'seriesInstanceUid', '-') end
                from audit_events where event_type = 'api.read'""" + " and " + where + " order by id")) {
            s.setString(1, parameter);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) rows.add(rs.getString(1));
            }
        }
        return rows;
    }
}
