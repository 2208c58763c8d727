package org.seggateway.gateway.notify.hl7;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ca.uhn.hl7v2.DefaultHapiContext;
import ca.uhn.hl7v2.HapiContext;
import ca.uhn.hl7v2.model.v251.message.ORU_R01;
import ca.uhn.hl7v2.model.v251.segment.OBX;
import ca.uhn.hl7v2.util.Terser;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.seggateway.gateway.notify.ResultReport;
import org.seggateway.gateway.notify.ResultReports;

/** The ORU^R01 of a result, parsed back by HAPI with its default validation. */
class Hl7ResultMessageTest {
    private final HapiContext hapi = new DefaultHapiContext();

    private ORU_R01 parse(String er7) throws Exception {
        return (ORU_R01) hapi.getPipeParser().parse(er7);
    }

    @Test
    void carriesThePatientIdAccessionMeasurementsAndTheSegReferenceOnly() throws Exception {
        ResultReport report = ResultReports.ct(42, 1);
        String er7 = Hl7ResultMessage.encode(report, ResultReports.hl7(2575, Duration.ofSeconds(5)));

        assertThat(er7).doesNotContain("\n").contains("\r");
        ORU_R01 m = parse(er7);
        Terser t = new Terser(m);
        assertThat(t.get("/MSH-9-1") + "^" + t.get("/MSH-9-2") + "^" + t.get("/MSH-9-3")).isEqualTo("ORU^R01^ORU_R01");
        assertThat(t.get("/MSH-12")).isEqualTo("2.5.1");
        assertThat(t.get("/MSH-10")).isEqualTo("SEGGW42.1").isEqualTo(Hl7ResultMessage.controlId(report));
        assertThat(t.get("/MSH-3")).isEqualTo("SEG_GATEWAY");
        assertThat(t.get("/MSH-4")).isEqualTo("RADIOLOGY");
        assertThat(t.get("/MSH-5")).isEqualTo("RIS");
        assertThat(t.get("/MSH-6")).isEqualTo("HOSPITAL");
        assertThat(t.get("/MSH-7")).isEqualTo("20261204101530+0000");
        PidCheck.assertOnlyTheId(m.getPATIENT_RESULT().getPATIENT().getPID(), "PAT-0042");
        assertThat(t.get("/.ORC-1")).isEqualTo("RE");
        assertThat(t.get("/.ORC-3")).isEqualTo("ACC-77");
        assertThat(t.get("/.OBR-3")).isEqualTo("ACC-77");
        assertThat(t.get("/.OBR-4-1")).isEqualTo("organs");
        assertThat(t.get("/.OBR-4-2")).isEqualTo("AI segmentation organs 1.2.0");
        assertThat(t.get("/.OBR-7")).isEqualTo("20261204101400+0000");
        assertThat(t.get("/.OBR-25")).isEqualTo("F");

        List<String> obx = new ArrayList<>();
        for (var o : m.getPATIENT_RESULT().getORDER_OBSERVATION().getOBSERVATIONAll()) {
            OBX x = o.getOBX();
            obx.add(String.join("|", x.getSetIDOBX().getValue(), x.getValueType().getValue(),
                    x.getObservationIdentifier().encode(), String.valueOf(x.getObservationSubID().getValue()),
                    x.getObservationValue(0).encode(), x.getUnits().encode(), x.getObservationResultStatus().getValue()));
        }
        assertThat(obx).containsExactly(
                "1|CWE|363698007^Finding Site^SCT|1|10200004^Liver^SCT||F",
                "2|NM|118565006^Volume^SCT|1|1523.457|mL^milliliter^UCUM|F",
                "3|NM|voxel-count^Number of voxels^99SGW|1|12345|{voxels}^voxels^UCUM|F",
                "4|NM|112031^Attenuation Coefficient^DCM|1|54.32|[hnsf'U]^Hounsfield unit^UCUM|F",
                "5|CWE|363698007^Finding Site^SCT|2|78961009^Spleen^SCT||F",
                "6|NM|118565006^Volume^SCT|2|0.000|mL^milliliter^UCUM|F",
                "7|NM|voxel-count^Number of voxels^99SGW|2|0|{voxels}^voxels^UCUM|F",
                "8|ST|110180^Study Instance UID^DCM|null|1.2.826.0.1.3680043.8.498.1||F",
                "9|ST|112002^Series Instance UID^DCM|null|2.25.1111||F",
                "10|RP|113076^Segmentation^DCM|null|2.25.2222^SEG_GATEWAY^IM^DICOM||F");
        assertThat(t.get("/.OBSERVATION(3)/OBX-17-1")).as("the mean's method").isEqualTo("373098007");
    }

    @Test
    void aLaterResultVersionIsANewMessageThatCorrectsTheFormer() throws Exception {
        ORU_R01 v2 = parse(Hl7ResultMessage.encode(ResultReports.ct(43, 2), ResultReports.hl7(2575, Duration.ofSeconds(5))));
        Terser t = new Terser(v2);
        assertThat(t.get("/MSH-10")).isEqualTo("SEGGW43.2");
        assertThat(t.get("/.OBR-25")).isEqualTo("C");
        assertThat(t.get("/.OBSERVATION(1)/OBX-11")).isEqualTo("C");
    }

    @Test
    void theSameResultGivesTheSameBytesEveryAttempt() {
        ResultReport report = ResultReports.ct(44, 1);
        var ris = ResultReports.hl7(2575, Duration.ofSeconds(5));
        assertThat(Hl7ResultMessage.encode(ResultReport.fromJson(report.toJson()), ris)).isEqualTo(Hl7ResultMessage.encode(report, ris));
    }

    @Test
    void aResultWithoutPatientIdIsNotSent() {
        ResultReport r = ResultReports.ct(45, 1);
        ResultReport noPatient = new ResultReport(r.eventId(), r.time(), r.resultId(), r.resultVersion(), r.resultCreatedAt(), null,
                r.accessionNumber(), r.studyInstanceUid(), r.seriesInstanceUid(), r.modality(), r.segSeriesInstanceUid(),
                r.segSopInstanceUid(), r.srSopInstanceUid(), r.modelName(), r.modelVersion(), r.destination(), r.measurements());
        assertThatThrownBy(() -> Hl7ResultMessage.encode(noPatient, ResultReports.hl7(2575, Duration.ofSeconds(5))))
                .hasMessageContaining("no patient ID");
    }
}
