package org.seggateway.gateway.notify.fhir;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.DiagnosticReport;
import org.hl7.fhir.r4.model.ImagingStudy;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Quantity;
import org.junit.jupiter.api.Test;
import org.seggateway.gateway.notify.ResultReport;
import org.seggateway.gateway.notify.ResultReports;

/** The transaction bundle of a result: valid against the base R4 profiles (HAPI's validator, offline), and what it says. */
class FhirResultBundleTest {
    private final ResultReport report = ResultReports.ct(42, 1);

    @Test
    void isValidR4WithNoError() {
        String json = FhirResultBundle.json(report, "urn:oid:1.2.3.4.5");
        assertThat(FhirValidation.errors(json)).as("validation errors").isEmpty();
        FhirValidation.summary(json).forEach((severity, count) -> System.out.println("FHIR validation " + severity + ": " + count));
    }

    @Test
    void refersToTheStudyByUidAndToThePatientByTheRisIdentifierOnly() {
        String json = FhirResultBundle.json(report, "urn:oid:1.2.3.4.5");
        Bundle bundle = FhirResultBundle.fhir().newJsonParser().parseResource(Bundle.class, json);
        assertThat(bundle.getType()).isEqualTo(Bundle.BundleType.TRANSACTION);
        List<Bundle.BundleEntryComponent> entries = bundle.getEntry();
        assertThat(entries).extracting(e -> e.getResource().fhirType()).containsExactly("ImagingStudy",
                "Observation", "Observation", "Observation", "Observation", "Observation", "DiagnosticReport");

        ImagingStudy study = (ImagingStudy) entries.getFirst().getResource();
        assertThat(study.getIdentifierFirstRep().getSystem()).isEqualTo("urn:dicom:uid");
        assertThat(study.getIdentifierFirstRep().getValue()).isEqualTo("urn:oid:1.2.826.0.1.3680043.8.498.1");
        assertThat(entries.getFirst().getRequest().getIfNoneExist())
                .isEqualTo("identifier=urn:dicom:uid|urn:oid:1.2.826.0.1.3680043.8.498.1");
        assertThat(study.getSeriesFirstRep().getUid()).isEqualTo("2.25.1111");
        assertThat(study.getSeriesFirstRep().getModality().getCode()).isEqualTo("SEG");
        assertThat(study.getSeriesFirstRep().getInstanceFirstRep().getUid()).isEqualTo("2.25.2222");
        assertThat(study.getSubject().getReference()).isNull();
        assertThat(study.getSubject().getIdentifier().getSystem()).isEqualTo("urn:oid:1.2.3.4.5");
        assertThat(study.getSubject().getIdentifier().getValue()).isEqualTo("PAT-0042");
        assertThat(json).doesNotContain("\"Patient/").doesNotContain("birthDate").doesNotContain("\"name\"");

        DiagnosticReport dr = (DiagnosticReport) entries.getLast().getResource();
        assertThat(dr.getIdentifier()).extracting(i -> i.getValue()).containsExactly("urn:oid:2.25.2222", "ACC-77");
        assertThat(dr.getImagingStudyFirstRep().getReference()).isEqualTo(entries.getFirst().getFullUrl());
        assertThat(dr.getResult()).extracting(r -> r.getReference())
                .containsExactlyElementsOf(entries.subList(1, 6).stream().map(Bundle.BundleEntryComponent::getFullUrl).toList());
        assertThat(dr.getConclusion()).contains("2.25.1111").contains("1 Liver 1523.457 mL").contains("2 Spleen 0.000 mL");

        Observation volume = (Observation) entries.get(1).getResource();
        assertThat(volume.getCode().getCodingFirstRep().getCode()).isEqualTo("118565006");
        assertThat(volume.getCode().getCodingFirstRep().getSystem()).isEqualTo("http://snomed.info/sct");
        assertThat(volume.getBodySite().getCodingFirstRep().getCode()).isEqualTo("10200004");
        Quantity ml = volume.getValueQuantity();
        assertThat(ml.getValue()).isEqualByComparingTo("1523.457");
        assertThat(ml.getSystem()).isEqualTo("http://unitsofmeasure.org");
        assertThat(ml.getCode()).isEqualTo("mL");
        Observation mean = (Observation) entries.get(3).getResource();
        assertThat(mean.getCode().getCodingFirstRep().getCode()).isEqualTo("112031");
        assertThat(mean.getMethod().getCodingFirstRep().getCode()).isEqualTo("373098007");
        assertThat(mean.getValueQuantity().getCode()).isEqualTo("[hnsf'U]");
        assertThat(mean.getValueQuantity().getValue()).isEqualByComparingTo("54.32");
        Observation emptySpleen = (Observation) entries.get(4).getResource();
        assertThat(emptySpleen.getBodySite().getCodingFirstRep().getCode()).isEqualTo("78961009");
        assertThat(emptySpleen.getValueQuantity().getValue()).isEqualByComparingTo("0");
    }

    @Test
    void theSameResultGivesTheSameIdentifiersSoAResendCreatesNothing() {
        Bundle a = FhirResultBundle.build(report, null), b = FhirResultBundle.build(ResultReport.fromJson(report.toJson()), null);
        assertThat(a.getEntry()).extracting(e -> e.getRequest().getIfNoneExist())
                .containsExactlyElementsOf(b.getEntry().stream().map(e -> e.getRequest().getIfNoneExist()).toList())
                .doesNotHaveDuplicates().allSatisfy(q -> assertThat(q).startsWith("identifier="));
    }
}
