package org.seggateway.gateway.worklist;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.seggateway.gateway.security.TestUsers.asViewer;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.seggateway.dicomio.synthetic.SyntheticSeries;
import org.seggateway.gateway.queue.PipelineFixture;

/** A result's measurements through /api/studies/{uid}, /api/jobs/{id} and the CSV export, each read audited. */
@QuarkusTest
class MeasurementsResourceTest {
    @Inject
    PipelineFixture pipeline;
    @Inject
    DataSource dataSource;
    @TempDir
    Path dir;

    @Test
    void theMeasurementsOfAResultAreInTheStudyTheJobAndTheCsvExport() throws Exception {
        Instant start = Instant.now();
        String accession = "M" + UUID.randomUUID().toString().substring(0, 8);
        SyntheticSeries.Written ct = SyntheticSeries.ct().size(16, 16, 4).spacing(1.5, 1.25, 3).patient("Test^M", "P-M", accession)
                .write(dir.resolve("ct"));
        UUID job = pipeline.storeAndComplete(ct).getFirst();
        pipeline.dispatch(job);
        // three voxels of the liver label: two touching, one apart
        pipeline.storeResult(job, i -> i == 3 || i == 4 || i == 200, Map.of());
        double voxelMl = 1.25 * 1.5 * 3 / 1000; // column spacing x row spacing x slice distance

        JsonPath study = asViewer().get("/api/studies/" + ct.studyInstanceUid()).then().statusCode(200).extract().jsonPath();
        String result = "series[0].jobs[0].result.";
        assertThat(study.getList(result + "measurements.label")).containsExactly("Liver", "Lesion");
        assertThat(study.getLong(result + "measurements[0].voxelCount")).isEqualTo(3);
        assertThat(study.getDouble(result + "measurements[0].volumeMl")).isCloseTo(3 * voxelMl, within(1e-6));
        assertThat(study.getInt(result + "measurements[0].components")).isEqualTo(2);
        assertThat(study.getInt(result + "measurements[0].connectivity")).isEqualTo(26);
        assertThat(study.getString(result + "measurements[0].units")).isEqualTo("HU");
        assertThat(study.getString(result + "measurements[0].type.code")).isEqualTo("10200004");
        assertThat(study.getList(result + "measurements[0].boundingBoxMm.min")).hasSize(3);
        assertThat(study.getLong(result + "measurements[1].voxelCount")).isZero();
        assertThat(study.getString(result + "measurements[1].mean")).isNull();
        assertThat(study.getString(result + "srSopInstanceUid")).isNotBlank();

        JsonPath one = asViewer().get("/api/jobs/" + job).then().statusCode(200).extract().jsonPath();
        assertThat(one.getLong("result.measurements[0].voxelCount")).isEqualTo(3);
        assertThat(one.getString("result.srSopInstanceUid")).isEqualTo(study.getString(result + "srSopInstanceUid"));

        String csv = asViewer().queryParam("studyUid", ct.studyInstanceUid()).get("/api/measurements").then().statusCode(200)
                .contentType("text/csv").extract().asString();
        List<String> lines = csv.lines().toList();
        assertThat(lines).hasSize(3);
        List<String> header = List.of(lines.get(0).split(","));
        assertThat(header).isEqualTo(MeasurementsExport.COLUMNS);
        String[] liver = lines.get(1).split(",", -1);
        assertThat(liver[header.indexOf("studyInstanceUid")]).isEqualTo(ct.studyInstanceUid());
        assertThat(liver[header.indexOf("accessionNumber")]).isEqualTo(accession);
        assertThat(liver[header.indexOf("label")]).isEqualTo("Liver");
        assertThat(liver[header.indexOf("voxelCount")]).isEqualTo("3");
        assertThat(Double.parseDouble(liver[header.indexOf("volumeMl")])).isCloseTo(3 * voxelMl, within(0.001));
        assertThat(lines.get(2).split(",", -1)[header.indexOf("label")]).isEqualTo("Lesion");
        assertThat(csv).doesNotContain("P-M").doesNotContain("Test^M");

        String range = asViewer().queryParam("from", start.toString()).get("/api/measurements").then().statusCode(200)
                .extract().asString();
        assertThat(range).contains(ct.studyInstanceUid());
        asViewer().get("/api/measurements").then().statusCode(400);

        assertThat(auditedExports(ct.studyInstanceUid())).containsExactly("success");
    }

    @Test
    void aCellASpreadsheetWouldTakeForAFormulaIsDefused() {
        assertThat(MeasurementsExport.text("=HYPERLINK(\"x\")")).isEqualTo("'=HYPERLINK(\"x\")");
        assertThat(MeasurementsExport.text("Liver")).isEqualTo("Liver");
        assertThat(MeasurementsExport.text(null)).isEmpty();
    }

    private List<String> auditedExports(String studyUid) throws Exception {
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement("""
                select outcome from audit_events where event_type = 'api.read' and study_instance_uid = ?
                and details->>'endpoint' = 'GET /api/measurements' order by id""")) {
            s.setString(1, studyUid);
            try (ResultSet rs = s.executeQuery()) {
                List<String> out = new java.util.ArrayList<>();
                while (rs.next()) out.add(rs.getString(1));
                return out;
            }
        }
    }
}
