package org.seggateway.gateway.worklist;

import static org.assertj.core.api.Assertions.assertThat;
import static org.seggateway.gateway.security.TestUsers.asViewer;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.PersonNameAttribute;
import com.pixelmed.dicom.TagFromName;
import com.pixelmed.dicom.TransferSyntax;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.seggateway.dicomio.synthetic.SyntheticSeries;
import org.seggateway.gateway.queue.PipelineFixture;

/** The worklist's reading columns, its server-side sort and filters, and their checks, on the real PostgreSQL. */
@QuarkusTest
class WorklistReadingTest {
    @Inject
    PipelineFixture pipeline;
    @TempDir
    Path dir;

    private static String unique(String prefix) {
        return prefix + UUID.randomUUID().toString().substring(0, 8);
    }

    @Test
    void showsTheReadingColumnsOfAStudyWithItsResult() throws Exception {
        String accession = unique("R"), patientId = unique("P-");
        // 10 x 10 x 12.5 mm voxels (1.25 mL each): 1,300 labelled voxels make 1,625 mL
        SyntheticSeries.Written ct = SyntheticSeries.ct().size(16, 16, 8).spacing(10, 10, 12.5)
                .patient("Reader^Rita^M", patientId, accession).write(dir.resolve("ct"));
        UUID job = pipeline.storeAndComplete(ct).getFirst();
        pipeline.dispatch(job);
        pipeline.storeResult(job, i -> i < 1300, Map.of("total", 1.0));

        JsonPath study = asViewer().queryParam("accession", accession).get("/api/studies").then().statusCode(200).extract()
                .jsonPath().setRootPath("studies[0]");
        assertThat(study.getString("patientName")).isEqualTo("Reader^Rita^M");
        assertThat(study.getString("patientId")).isEqualTo(patientId);
        assertThat(study.getString("studyDate")).isEqualTo("2024-01-01");
        assertThat(study.getString("studyDescription")).isEqualTo("Synthetic phantom");
        assertThat(study.getList("modalities")).containsExactly("CT");
        assertThat(study.getList("bodyParts")).containsExactly("ABDOMEN");
        assertThat(study.getString("status")).isEqualTo("delivering");
        assertThat(study.getString("statusChanged")).matches("\\d{4}-\\d\\d-\\d\\dT.*Z");
        assertThat(study.getList("models")).containsExactly("test-threshold 1.2.0");
        assertThat(study.getString("measurementSummary")).isEqualTo("Liver 1,625 mL");
        assertThat(study.getList("warnings")).isEmpty();
        assertThat(study.getString("viewerUrl"))
                .isEqualTo("https://viewer.example.org/viewer?StudyInstanceUIDs=" + ct.studyInstanceUid() + "&acc=" + accession);
        assertThat(pipeline.value("select patient_name from series where series_instance_uid = ?", ct.seriesInstanceUid()))
                .as("kept in the database beside the patient ID").isEqualTo("Reader^Rita^M");

        JsonPath one = asViewer().get("/api/studies/" + ct.studyInstanceUid()).then().statusCode(200).extract().jsonPath();
        assertThat(one.getString("patientName")).isEqualTo("Reader^Rita^M");
        assertThat(one.getString("measurementSummary")).isEqualTo("Liver 1,625 mL");
        assertThat(one.getString("viewerUrl")).startsWith("https://viewer.example.org/");
    }

    /** Three studies under one accession number (only received), with names and study dates in different orders. */
    private List<String> threeStudies(String accession) throws Exception {
        String[][] studies = {{"Zeta^Anna", "2023-05-02"}, {"alpha^Bert", "2024-07-01"}, {"Mid^Carl", "2022-01-15"}};
        List<String> uids = new java.util.ArrayList<>();
        for (String[] s : studies) {
            SyntheticSeries.Written ct = SyntheticSeries.ct().size(8, 8, 2).patient(s[0], unique("P-"), accession)
                    .write(dir.resolve(unique("s")));
            pipeline.store(ct);
            pipeline.values("update series set study_date = cast(? as date) where study_instance_uid = ? returning id", s[1],
                    ct.studyInstanceUid());
            uids.add(ct.studyInstanceUid());
        }
        return uids;
    }

    private static List<String> uids(String accession, UnaryOperator<RequestSpecification> parameters) {
        return parameters.apply(asViewer().queryParam("accession", accession)).get("/api/studies").then().statusCode(200)
                .extract().jsonPath().getList("studies.studyInstanceUid");
    }

    @Test
    void sortsAndFiltersOnTheServer() throws Exception {
        String accession = unique("S");
        List<String> u = threeStudies(accession);
        String zeta = u.get(0), alpha = u.get(1), mid = u.get(2);

        assertThat(uids(accession, r -> r.queryParam("sort", "patientName"))).containsExactly(alpha, mid, zeta);
        assertThat(uids(accession, r -> r.queryParam("sort", "-patientName"))).containsExactly(zeta, mid, alpha);
        assertThat(uids(accession, r -> r.queryParam("sort", "studyDate"))).containsExactly(mid, zeta, alpha);
        assertThat(uids(accession, r -> r.queryParam("sort", "-studyDate"))).containsExactly(alpha, zeta, mid);
        assertThat(uids(accession, r -> r.queryParam("sort", "received"))).containsExactly(zeta, alpha, mid);
        assertThat(uids(accession, r -> r)).as("newest first by default").containsExactly(mid, alpha, zeta);

        assertThat(uids(accession, r -> r.queryParam("patientName", "ALPH"))).containsExactly(alpha);
        assertThat(uids(accession, r -> r.queryParam("patientName", "%"))).as("% taken literally").isEmpty();
        assertThat(uids(accession, r -> r.queryParam("studyDateFrom", "2023-01-01").queryParam("studyDateTo", "2023-12-31")))
                .containsExactly(zeta);
        assertThat(uids(accession, r -> r.queryParam("studyDateTo", "2023-05-02").queryParam("sort", "studyDate")))
                .as("both ends inclusive").containsExactly(mid, zeta);
        assertThat(uids(accession, r -> r.queryParam("modality", "ct").queryParam("bodyPart", "abdomen"))).hasSize(3);
        assertThat(uids(accession, r -> r.queryParam("modality", "MR"))).isEmpty();
        assertThat(uids(accession, r -> r.queryParam("description", "PHANTOM"))).hasSize(3);
        assertThat(uids(accession, r -> r.queryParam("warnings", "false"))).hasSize(3);
        assertThat(uids(accession, r -> r.queryParam("warnings", "true"))).isEmpty();
        assertThat(uids(accession, r -> r.queryParam("model", "test-threshold"))).as("no job ran").isEmpty();
        assertThat(asViewer().queryParam("accession", accession).queryParam("sort", "patientName").queryParam("size", 1)
                .queryParam("page", 1).get("/api/studies").then().statusCode(200).extract().jsonPath()
                .getList("studies.studyInstanceUid")).as("pages follow the sort").containsExactly(mid);
    }

    @Test
    void refusesMalformedSortAndFilterParametersWithTheReason() {
        assertThat(error(Map.of("sort", "shoeSize"))).startsWith("sort 'shoeSize' names no column; one of [received, patientName,")
                .contains("leading '-' for descending");
        assertThat(error(Map.of("sort", "-"))).startsWith("sort '-' names no column");
        assertThat(error(Map.of("studyDateFrom", "2024-13-01"))).isEqualTo("studyDateFrom is not a date (YYYY-MM-DD): 2024-13-01");
        assertThat(error(Map.of("studyDateTo", "20240101"))).isEqualTo("studyDateTo is not a date (YYYY-MM-DD): 20240101");
        assertThat(error(Map.of("warnings", "maybe"))).isEqualTo("warnings must be true or false: maybe");
        assertThat(error(Map.of("patientName", "x".repeat(65)))).isEqualTo("patientName is longer than 64 characters");
    }

    private static String error(Map<String, String> parameters) {
        return asViewer().queryParams(parameters).get("/api/studies").then().statusCode(400).extract().jsonPath().getString("error");
    }

    @Test
    void recordsAReadByPatientNameWithWhatWasAskedAndAnswered() throws Exception {
        String accession = unique("U");
        List<String> u = threeStudies(accession);
        asViewer().queryParam("patientName", "zeta").queryParam("accession", accession).queryParam("sort", "-studyDate")
                .get("/api/studies").then().statusCode(200);
        List<String> details = pipeline.values("""
                select details::text from audit_events where event_type = 'api.read' and actor = 'viewer' and outcome = 'success'
                and details->>'endpoint' = 'GET /api/studies' and details->'query'->>'accession' = ?""", accession);
        assertThat(details).hasSize(1);
        assertThat(details.getFirst()).contains("\"patientName\": \"zeta\"", "\"sort\": \"-studyDate\"", u.get(0))
                .doesNotContain(u.get(1), u.get(2));
    }

    @Test
    void keepsANonAsciiPatientNameAsTheHeaderSpellsIt() throws Exception {
        String accession = unique("N");
        SyntheticSeries.Written ct = SyntheticSeries.ct().size(8, 8, 2).patient("Placeholder^Name", unique("P-"), accession)
                .write(dir.resolve("utf8"));
        for (Path file : ct.files()) {
            AttributeList list = new AttributeList();
            list.read(file.toFile());
            Attribute name = new PersonNameAttribute(TagFromName.PatientName);
            name.addValue("M\u00fcller^J\u00f6rg=\u5c71\u7530^\u592a\u90ce");
            list.put(name);
            list.insertSuitableSpecificCharacterSetForAllStringValues();
            list.write(file.toFile(), TransferSyntax.ExplicitVRLittleEndian, true, true);
        }
        assertThat(java.nio.file.Files.readString(ct.files().getFirst(), java.nio.charset.StandardCharsets.ISO_8859_1))
                .as("written with a Specific Character Set").contains("ISO_IR 192");
        pipeline.store(ct);
        assertThat(uids(accession, r -> r.queryParam("patientName", "m\u00fcller"))).containsExactly(ct.studyInstanceUid());
        assertThat(asViewer().get("/api/studies/" + ct.studyInstanceUid()).then().statusCode(200).extract().jsonPath()
                .getString("patientName")).isEqualTo("M\u00fcller^J\u00f6rg=\u5c71\u7530^\u592a\u90ce");
    }
}
