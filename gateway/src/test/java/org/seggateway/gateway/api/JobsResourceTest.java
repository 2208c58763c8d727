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
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.seggateway.dicomio.synthetic.SyntheticSeries;
import org.seggateway.gateway.queue.PipelineFixture;

@QuarkusTest
class JobsResourceTest {
    @Inject
    PipelineFixture pipeline;
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
}
