package org.seggateway.gateway.worklist;

import org.seggateway.audit.AuditChain;
import static org.assertj.core.api.Assertions.assertThat;
import static org.seggateway.gateway.security.TestUsers.asViewer;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
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
class StudiesResourceTest {
    @Inject
    PipelineFixture pipeline;
    @Inject
    DataSource dataSource;
    @TempDir
    Path dir;

    /** A study of one CT series whose job ran and whose SEG waits for delivery. */
    private SyntheticSeries.Written studyWithResult(String name, String accession, String patientId) throws Exception {
        SyntheticSeries.Written ct = SyntheticSeries.ct().size(16, 16, 4).patient("Test^" + name, patientId, accession)
                .write(dir.resolve(name));
        UUID job = pipeline.storeAndComplete(ct).getFirst();
        pipeline.dispatch(job);
        pipeline.storeResult(job, i -> i == 3, Map.of("inference", 0.5, "total", 0.75));
        return ct;
    }

    private static String unique(String prefix) {
        return prefix + UUID.randomUUID().toString().substring(0, 8);
    }

    @Test
    void showsEachSeriesWithItsJobsResultAndDeliveriesAndRecordsTheRead() throws Exception {
        String accession = unique("A"), patientId = unique("P-");
        SyntheticSeries.Written ct = studyWithResult("a", accession, patientId);

        JsonPath page = asViewer().queryParam("accession", accession).get("/api/studies").then().statusCode(200).extract().jsonPath();
        assertThat(page.getLong("total")).isEqualTo(1);
        assertThat(page.getString("studies[0].studyInstanceUid")).isEqualTo(ct.studyInstanceUid());
        assertThat(page.getString("studies[0].accessionNumber")).isEqualTo(accession);
        assertThat(page.getString("studies[0].patientId")).isEqualTo(patientId);
        assertThat(page.getString("studies[0].status")).isEqualTo("delivering");
        assertThat(page.getList("studies[0].series.seriesInstanceUid")).containsExactly(ct.seriesInstanceUid());
        String job = "studies[0].series[0].jobs[0].";
        assertThat(page.getString(job + "model.name")).isEqualTo("test-threshold");
        assertThat(page.getString(job + "model.version")).isEqualTo("1.2.0");
        assertThat(page.getString(job + "state")).isEqualTo("done");
        assertThat(page.getDouble(job + "timings.stageSeconds.inference")).isEqualTo(0.5);
        assertThat(page.getString(job + "timings.finished")).matches("\\d{4}-\\d\\d-\\d\\dT.*Z");
        String[] seg = segUids(ct.seriesInstanceUid());
        assertThat(page.getString(job + "result.segSopInstanceUid")).isEqualTo(seg[0]);
        assertThat(page.getString(job + "result.segSeriesInstanceUid")).isEqualTo(seg[1]);
        assertThat(page.getInt(job + "result.version")).isEqualTo(1);
        assertThat(page.getList(job + "result.deliveries.destination")).containsExactly("test-pacs");
        assertThat(page.getList(job + "result.deliveries.state")).containsExactly("pending");

        execute("update deliveries set state = 'delivered', delivered_at = now() where result_id in "
                + "(select r.id from results r join jobs j on j.id = r.job_id join series s on s.id = j.series_id "
                + "where s.study_instance_uid = ?)", ct.studyInstanceUid());
        JsonPath one = asViewer().get("/api/studies/" + ct.studyInstanceUid()).then().statusCode(200).extract().jsonPath();
        assertThat(one.getString("status")).isEqualTo("delivered");
        assertThat(one.getString("series[0].jobs[0].result.deliveries[0].delivered")).isNotNull();
        assertThat(asViewer().queryParam("patientId", patientId).queryParam("status", "delivered").get("/api/studies")
                .then().statusCode(200).extract().jsonPath().getList("studies.studyInstanceUid")).containsExactly(ct.studyInstanceUid());
        assertThat(asViewer().queryParam("patientId", patientId).queryParam("status", "failed").get("/api/studies")
                .then().statusCode(200).extract().jsonPath().getLong("total")).isZero();

        List<Map<String, String>> reads = auditedReads(ct.studyInstanceUid(), accession);
        assertThat(reads).extracting(r -> r.get("actor")).containsOnly("viewer");
        assertThat(reads).extracting(r -> r.get("endpoint"))
                .contains("GET /api/studies", "GET /api/studies/{studyUid}");
        assertThat(reads).extracting(r -> r.get("outcome")).containsOnly("success");
        assertThat(reads).anySatisfy(r -> assertThat(r.get("details")).contains("\"accession\": \"" + accession + "\"")
                .contains(ct.studyInstanceUid()));
        try (Connection c = dataSource.getConnection()) {
            assertThat(AuditChain.firstBrokenRow(c)).isEmpty();
        }
    }

    @Test
    void listsNewestFirstInPagesWithAStudyStillProcessing() throws Exception {
        Instant start = Instant.now().minusSeconds(1);
        String accession = unique("B");
        SyntheticSeries.Written older = studyWithResult("older", unique("C"), "P1");
        SyntheticSeries.Written first = SyntheticSeries.ct().size(8, 8, 2).patient("Test^B", "P2", accession).write(dir.resolve("b1"));
        SyntheticSeries.Written second = SyntheticSeries.ct().size(8, 8, 3).study(first.studyInstanceUid())
                .patient("Test^B", "P2", accession).write(dir.resolve("b2"));
        pipeline.storeAndComplete(first);
        pipeline.storeAndComplete(second);

        JsonPath newer = asViewer().get("/api/studies/" + first.studyInstanceUid()).then().statusCode(200).extract().jsonPath();
        assertThat(newer.getString("status")).isEqualTo("processing");
        assertThat(newer.getList("series.seriesInstanceUid")).containsExactly(first.seriesInstanceUid(), second.seriesInstanceUid());
        assertThat(newer.getList("series.jobs.state").toString()).isEqualTo("[[complete], [complete]]");
        assertThat(newer.getString("series[0].jobs[0].result")).isNull();

        List<String> all = asViewer().queryParam("from", start.toString()).queryParam("size", 200).get("/api/studies")
                .then().statusCode(200).extract().jsonPath().getList("studies.studyInstanceUid");
        assertThat(all).contains(older.studyInstanceUid(), first.studyInstanceUid());
        assertThat(all.indexOf(first.studyInstanceUid())).isLessThan(all.indexOf(older.studyInstanceUid()));
        List<String> paged = new ArrayList<>();
        for (int p = 0; p < 2; p++) {
            JsonPath one = asViewer().queryParam("from", start.toString()).queryParam("size", 1).queryParam("page", p)
                    .get("/api/studies").then().statusCode(200).extract().jsonPath();
            assertThat(one.getLong("total")).isEqualTo(all.size());
            paged.addAll(one.getList("studies.studyInstanceUid"));
        }
        assertThat(paged).containsExactlyElementsOf(all.subList(0, 2));
        assertThat(asViewer().queryParam("to", "2000-01-01").get("/api/studies").then().statusCode(200)
                .extract().jsonPath().getLong("total")).isZero();
    }

    @Test
    void refusesMalformedParametersAndRecordsAMissingStudy() throws Exception {
        asViewer().queryParam("status", "lost").get("/api/studies").then().statusCode(400);
        asViewer().queryParam("from", "yesterday").get("/api/studies").then().statusCode(400);
        asViewer().queryParam("size", 0).get("/api/studies").then().statusCode(400);
        String missing = "1.2.3." + System.nanoTime();
        asViewer().get("/api/studies/" + missing).then().statusCode(404);
        assertThat(auditedReads(missing, "-")).extracting(r -> r.get("outcome")).containsExactly("not-found");
    }

    private String[] segUids(String seriesInstanceUid) throws Exception {
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement("""
                select r.seg_sop_instance_uid, r.seg_series_instance_uid from results r join jobs j on j.id = r.job_id
                join series s on s.id = j.series_id where s.series_instance_uid = ?""")) {
            s.setString(1, seriesInstanceUid);
            try (ResultSet rs = s.executeQuery()) {
                assertThat(rs.next()).isTrue();
                return new String[] {rs.getString(1), rs.getString(2)};
            }
        }
    }

    private void execute(String sql, String parameter) throws Exception {
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(sql)) {
            s.setString(1, parameter);
            assertThat(s.executeUpdate()).isPositive();
        }
    }

    /** The api.read rows naming the study, or whose query named the accession number. */
    private List<Map<String, String>> auditedReads(String studyUid, String accession) throws Exception {
        List<Map<String, String>> rows = new ArrayList<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement("""
                select actor, outcome, details->>'endpoint', details::text from audit_events
                where event_type = 'api.read' and (study_instance_uid = ? or details->'query'->>'accession' = ?) order by id""")) {
            s.setString(1, studyUid);
            s.setString(2, accession);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next())
                    rows.add(Map.of("actor", rs.getString(1), "outcome", rs.getString(2), "endpoint", rs.getString(3),
                            "details", rs.getString(4)));
            }
        }
        return rows;
    }
}
