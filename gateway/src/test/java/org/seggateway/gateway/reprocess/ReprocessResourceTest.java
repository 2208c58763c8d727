package org.seggateway.gateway.reprocess;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.seggateway.gateway.security.TestUsers.as;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.seggateway.dicomio.synthetic.SyntheticSeries;
import org.seggateway.gateway.queue.PipelineFixture;
import org.seggateway.gateway.queue.RecordingPublisher;
import org.seggateway.gateway.security.Roles;

/** Batch reprocessing through the API on the real database, with the queue recorded instead of Kafka. */
@QuarkusTest
class ReprocessResourceTest {
    @Inject
    PipelineFixture pipeline;
    @Inject
    BatchDispatcher batchDispatcher;
    @Inject
    RecordingPublisher queue;
    @TempDir
    Path incoming;

    /** Fails live jobs left waiting in the shared test database (by other test classes): they would hold every batch back. */
    private void noLiveJobWaits() throws Exception {
        pipeline.values("update jobs set state = 'failed', reason = 'left waiting by another test' where batch_id is null"
                + " and state in ('complete', 'queued') returning id");
    }

    /** A series processed live by test-model 1.2.0, its SEG stored as result version 1. */
    private SyntheticSeries.Written processedSeries(String name) throws Exception {
        SyntheticSeries.Written ct = SyntheticSeries.ct().size(32, 32, 6).write(incoming.resolve(name));
        UUID job = pipeline.storeAndComplete(ct).getFirst();
        pipeline.dispatch(job);
        pipeline.storeResult(job, i -> i % 7 == 0, Map.of());
        // completing this series completed every quiet series in the database, those of other test classes too
        noLiveJobWaits();
        return ct;
    }

    private static Map<String, Object> request(List<String> studies, boolean dryRun) {
        return Map.of("studyUids", studies, "model", "test-model-v2", "modelVersion", "1.3.0",
                "reason", "liver model 1.3.0 validated", "dryRun", dryRun);
    }

    @Test
    void aDryRunSaysWhatWouldRunAndCreatesNothing() throws Exception {
        SyntheticSeries.Written ct = processedSeries("dry");
        String unknownStudy = "1.2.3.999." + System.nanoTime();

        JsonPath plan = as(Roles.OPERATOR).contentType(ContentType.JSON).body(request(List.of(ct.studyInstanceUid(), unknownStudy), true))
                .post("/api/reprocess").then().statusCode(200).extract().jsonPath();

        assertThat(plan.getBoolean("dryRun")).isTrue();
        assertThat(plan.getString("plan.modelName") + " " + plan.getString("plan.modelVersion")).isEqualTo("test-threshold 1.3.0");
        assertThat(plan.getList("plan.series.seriesInstanceUid")).containsExactly(ct.seriesInstanceUid());
        assertThat(plan.getList("plan.series.source")).containsExactly("spool");
        assertThat(plan.getList("plan.leftOut.studyInstanceUid")).containsExactly(unknownStudy);
        assertThat(pipeline.countOf("select count(*) from jobs j join series s on s.id = j.series_id where s.study_instance_uid = ?::text"
                + " and j.batch_id is not null", ct.studyInstanceUid())).isZero();
        assertThat(pipeline.countOf("select count(*) from audit_events where event_type = 'reprocess.dry-run' and actor = 'operator'"
                + " and details->'series'->>0 = ?::text", ct.seriesInstanceUid())).isEqualTo(1);
    }

    @Test
    void aBatchRunsBehindTheInFlightLimitAndMakesANewSegVersionPerSeries() throws Exception {
        SyntheticSeries.Written a = processedSeries("a"), b = processedSeries("b");

        JsonPath created = as(Roles.OPERATOR).contentType(ContentType.JSON)
                .body(request(List.of(a.studyInstanceUid(), b.studyInstanceUid()), false))
                .post("/api/reprocess").then().statusCode(202).header("Location", containsString("/api/reprocess/"))
                .extract().jsonPath();
        UUID batch = UUID.fromString(created.getString("batchId"));
        assertThat(created.getInt("progress.total")).isEqualTo(2);
        assertThat(created.getInt("progress.waiting")).isEqualTo(2);
        List<UUID> jobs = created.getList("progress.jobs.jobId", String.class).stream().map(UUID::fromString).toList();

        // the live dispatcher leaves batch jobs alone; the batch dispatcher queues one at a time (max-in-flight=1)
        assertThat(pipeline.awaitingLive()).doesNotContainAnyElementsOf(jobs);
        assertThat(batchDispatcher.dispatchDue()).isEqualTo(1);
        assertThat(batchDispatcher.dispatchDue()).isZero();
        UUID first = jobs.stream().filter(j -> queue.published(j.toString()) != null).findFirst().orElseThrow();
        assertThat(queue.published(first.toString()).modelVersion()).isEqualTo("1.3.0");
        pipeline.storeResult(first, i -> i % 5 == 0, Map.of());
        assertThat(batchDispatcher.dispatchDue()).isEqualTo(1);
        UUID second = jobs.stream().filter(j -> !j.equals(first)).findFirst().orElseThrow();
        pipeline.storeResult(second, i -> i % 5 == 0, Map.of());
        batchDispatcher.dispatchDue();

        JsonPath progress = as(Roles.OPERATOR).get("/api/reprocess/" + batch).then().statusCode(200).extract().jsonPath();
        assertThat(progress.getString("state")).isEqualTo("done");
        assertThat(progress.getInt("done")).isEqualTo(2);
        assertThat(progress.getString("requestedBy")).isEqualTo("operator");
        assertThat(progress.getList("jobs.resultVersion", Integer.class)).containsExactly(2, 2);
        for (SyntheticSeries.Written series : List.of(a, b))
            assertThat(pipeline.value("""
                    select string_agg(r.version || ' ' || j.model_version, ',' order by r.version)
                    from results r join jobs j on j.id = r.job_id join series s on s.id = j.series_id
                    where s.series_instance_uid = ?::text""", series.seriesInstanceUid())).isEqualTo("1 1.2.0,2 1.3.0");
        assertThat(pipeline.countOf("select count(distinct seg_series_instance_uid) from results r join jobs j on j.id = r.job_id"
                + " where j.batch_id = ?", batch)).as("each result is a new SEG series").isEqualTo(2);
        assertThat(pipeline.value("select (details->>'reason') || ' | ' || (details->>'jobs') from audit_events where event_type = 'reprocess.requested'"
                + " and details->>'batchId' = ?::text", batch)).startsWith("liver model 1.3.0 validated | ").contains(first.toString());
        assertThat(pipeline.countOf("select count(*) from audit_events where details->>'batchId' = ?::text"
                + " and event_type in ('job.queued', 'result.stored')", batch)).isEqualTo(4);
        assertThat(pipeline.countOf("select count(*) from audit_events where event_type = 'reprocess.finished' and details->>'batchId' = ?::text",
                batch)).isEqualTo(1);
    }

    @Test
    void noBatchJobIsQueuedWhileALiveJobWaitsForAWorker() throws Exception {
        SyntheticSeries.Written past = processedSeries("past");
        UUID batch = UUID.fromString(as(Roles.OPERATOR).contentType(ContentType.JSON).body(request(List.of(past.studyInstanceUid()), false))
                .post("/api/reprocess").then().statusCode(202).extract().jsonPath().getString("batchId"));
        UUID live = pipeline.storeAndComplete(SyntheticSeries.ct().size(32, 32, 6).write(incoming.resolve("live"))).getFirst();

        assertThat(batchDispatcher.dispatchDue()).as("live job complete, not yet queued").isZero();
        pipeline.dispatch(live);
        assertThat(batchDispatcher.dispatchDue()).as("live job on the queue").isZero();
        pipeline.storeResult(live, i -> i % 2 == 0, Map.of());
        assertThat(batchDispatcher.dispatchDue()).as("live job done").isEqualTo(1);
        UUID batchJob = UUID.fromString(pipeline.value("select id from jobs where batch_id = ?", batch));
        pipeline.storeResult(batchJob, i -> i % 2 == 0, Map.of());
        batchDispatcher.dispatchDue();
        as(Roles.OPERATOR).get("/api/reprocess/" + batch).then().statusCode(200).body("state", equalTo("done"))
                .body("jobs[0].seconds", org.hamcrest.Matchers.notNullValue());
    }

    @Test
    void cancellingStopsWhatIsNotOnTheQueueYet() throws Exception {
        SyntheticSeries.Written a = processedSeries("ca"), b = processedSeries("cb");
        UUID batch = UUID.fromString(as(Roles.OPERATOR).contentType(ContentType.JSON)
                .body(request(List.of(a.studyInstanceUid(), b.studyInstanceUid()), false))
                .post("/api/reprocess").then().statusCode(202).extract().jsonPath().getString("batchId"));
        batchDispatcher.dispatchDue();

        as(Roles.ADMIN).post("/api/reprocess/" + batch + "/cancel").then().statusCode(200)
                .body("state", equalTo("cancelled")).body("cancelled", equalTo(1)).body("queued", equalTo(1))
                .body("cancelledBy", equalTo("admin"));
        as(Roles.OPERATOR).post("/api/reprocess/" + batch + "/cancel").then().statusCode(409).body("error", containsString("cancelled"));
        assertThat(batchDispatcher.dispatchDue()).isZero();
        assertThat(pipeline.countOf("select count(*) from audit_events where event_type = 'reprocess.cancelled' and actor = 'admin'"
                + " and details->>'batchId' = ?::text", batch)).isEqualTo(1);

        // the job that was on the queue finishes and is kept
        UUID queued = UUID.fromString(pipeline.value("select id from jobs where batch_id = ? and state = 'queued'", batch));
        pipeline.storeResult(queued, i -> i % 3 == 0, Map.of());
        as(Roles.OPERATOR).get("/api/reprocess/" + batch).then().statusCode(200)
                .body("state", equalTo("cancelled")).body("done", equalTo(1)).body("cancelled", equalTo(1));
    }

    @Test
    void aSeriesNoLongerInTheSpoolFailsClearlyWithoutAPacsToRetrieveFrom() throws Exception {
        SyntheticSeries.Written ct = processedSeries("gone");
        List<String> files = pipeline.values("select i.spool_path from instances i join series s on s.id = i.series_id"
                + " where s.series_instance_uid = ?::text", ct.seriesInstanceUid());
        Files.delete(Path.of(files.getFirst()));

        JsonPath plan = as(Roles.OPERATOR).contentType(ContentType.JSON).body(request(List.of(ct.studyInstanceUid()), true))
                .post("/api/reprocess").then().statusCode(200).extract().jsonPath();
        assertThat(plan.getList("plan.series.source")).containsExactly("pacs");
        assertThat(plan.getList("plan.series.missingFromSpool", Integer.class)).containsExactly(1);

        UUID batch = UUID.fromString(as(Roles.OPERATOR).contentType(ContentType.JSON).body(request(List.of(ct.studyInstanceUid()), false))
                .post("/api/reprocess").then().statusCode(202).extract().jsonPath().getString("batchId"));
        assertThat(batchDispatcher.dispatchDue()).isZero();
        JsonPath progress = as(Roles.OPERATOR).get("/api/reprocess/" + batch).then().statusCode(200).extract().jsonPath();
        assertThat(progress.getString("state")).isEqualTo("done");
        assertThat(progress.getInt("failed")).isEqualTo(1);
        assertThat(progress.getString("jobs[0].reason")).contains("1 instance(s) are no longer in the spool")
                .contains("seg-gateway.reprocess.retrieve-from");
    }

    @Test
    void badRequestsAreRefusedWithTheReason() {
        String study = "1.2.3.4";
        as(Roles.OPERATOR).contentType(ContentType.JSON).body(Map.of("studyUids", List.of(study), "model", "test-model"))
                .post("/api/reprocess").then().statusCode(400).body("error", containsString("reason"));
        as(Roles.OPERATOR).contentType(ContentType.JSON).body(Map.of("model", "test-model", "reason", "r"))
                .post("/api/reprocess").then().statusCode(400).body("error", containsString("select series"));
        as(Roles.OPERATOR).contentType(ContentType.JSON).body(Map.of("studyUids", List.of(study), "model", "no-such-model", "reason", "r"))
                .post("/api/reprocess").then().statusCode(400).body("error", containsString("no-such-model"));
        as(Roles.OPERATOR).contentType(ContentType.JSON).body(Map.of("studyUids", List.of(study), "model", "../../main/resources", "reason", "r"))
                .post("/api/reprocess").then().statusCode(400).body("error", containsString("lies outside the model root"));
        as(Roles.OPERATOR).contentType(ContentType.JSON).body(Map.of("studyUids", List.of(study), "model", "/etc", "reason", "r"))
                .post("/api/reprocess").then().statusCode(400).body("error", containsString("lies outside the model root"));
        as(Roles.OPERATOR).contentType(ContentType.JSON)
                .body(Map.of("studyUids", List.of(study), "model", "test-model", "modelVersion", "9.9", "reason", "r"))
                .post("/api/reprocess").then().statusCode(400).body("error", containsString("is version 1.2.0, not 9.9"));
        as(Roles.OPERATOR).contentType(ContentType.JSON).body(Map.of("studyUids", List.of(study), "model", "test-model", "reason", "r"))
                .post("/api/reprocess").then().statusCode(400).body("error", containsString("no series to reprocess"));
        as(Roles.VIEWER).contentType(ContentType.JSON).body(Map.of("studyUids", List.of(study), "model", "test-model", "reason", "r"))
                .post("/api/reprocess").then().statusCode(403);
        as(Roles.OPERATOR).get("/api/reprocess/" + UUID.randomUUID()).then().statusCode(404);
    }
}
