package org.seggateway.gateway.notify.fhir;

import ca.uhn.fhir.context.FhirContext;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.UUID;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.DiagnosticReport;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.ImagingStudy;
import org.hl7.fhir.r4.model.IntegerType;
import org.hl7.fhir.r4.model.InstantType;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Quantity;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.seggateway.gateway.notify.MeasurementCodes;
import org.seggateway.gateway.notify.MeasurementCodes.Coded;
import org.seggateway.gateway.notify.ResultReport;
import org.seggateway.gateway.results.SegmentMeasurement;

/**
 * The FHIR R4 transaction bundle of a delivered result: the ImagingStudy (identified by its Study Instance UID,
 * {@code urn:dicom:uid}; created only if the server has none, with the SEG series), a DiagnosticReport naming the SEG
 * (its SOP Instance UID as identifier, the series and segments in its conclusion) and per segment Observations of its
 * volume (mL), voxel count and, for CT, mean (Hounsfield units), the structure's SNOMED code as bodySite. Every entry is
 * a conditional create on an identifier derived from the SEG, so a bundle sent twice (the answer was lost) creates
 * nothing the second time. The patient is referred to by the identifier the RIS sent only.
 */
public final class FhirResultBundle {
    public static final String DICOM_UID = "urn:dicom:uid";
    static final String URI_SYSTEM = "urn:ietf:rfc:3986";
    static final String DCM = "http://dicom.nema.org/resources/ontology/DCM";
    static final String SEG_SOP_CLASS = "1.2.840.10008.5.1.4.1.1.66.4";

    private FhirResultBundle() {}

    /** Created once: building a FHIR context takes a while. */
    public static FhirContext fhir() {
        return Holder.CONTEXT;
    }

    private static final class Holder {
        static final FhirContext CONTEXT = FhirContext.forR4();
    }

    public static String json(ResultReport report, String patientIdentifierSystem) {
        return fhir().newJsonParser().encodeResourceToString(build(report, patientIdentifierSystem));
    }

    public static Bundle build(ResultReport report, String patientIdentifierSystem) {
        if (report.patientId() == null || report.patientId().isBlank())
            throw new IllegalArgumentException("result " + report.resultId() + " has no patient ID to refer to the patient by");
        Date observed = Date.from(java.time.Instant.parse(report.resultCreatedAt()));
        Bundle bundle = new Bundle().setType(Bundle.BundleType.TRANSACTION);
        bundle.setIdentifier(new Identifier().setSystem(URI_SYSTEM).setValue(urnUuid(report, "bundle")));
        bundle.setTimestamp(Date.from(java.time.Instant.parse(report.time())));

        ImagingStudy study = new ImagingStudy().setStatus(ImagingStudy.ImagingStudyStatus.AVAILABLE);
        study.addIdentifier().setSystem(DICOM_UID).setValue("urn:oid:" + report.studyInstanceUid());
        if (report.accessionNumber() != null) study.addIdentifier(accession(report.accessionNumber()));
        study.setSubject(patient(report, patientIdentifierSystem));
        ImagingStudy.ImagingStudySeriesComponent series = study.addSeries().setUid(report.segSeriesInstanceUid())
                .setModality(new Coding(DCM, "SEG", "Segmentation"));
        series.addInstance().setUid(report.segSopInstanceUid()).setSopClass(new Coding(URI_SYSTEM, "urn:oid:" + SEG_SOP_CLASS, null));
        narrative(study, "Study " + report.studyInstanceUid() + " with the AI segmentation series " + report.segSeriesInstanceUid());
        String studyUrl = urnUuid(report, "study");
        add(bundle, studyUrl, study, "identifier=" + DICOM_UID + "|urn:oid:" + report.studyInstanceUid());

        DiagnosticReport dr = new DiagnosticReport().setStatus(DiagnosticReport.DiagnosticReportStatus.FINAL);
        dr.addIdentifier().setSystem(DICOM_UID).setValue("urn:oid:" + report.segSopInstanceUid());
        if (report.accessionNumber() != null) dr.addIdentifier(accession(report.accessionNumber()));
        dr.addCategory(new CodeableConcept(new Coding("http://terminology.hl7.org/CodeSystem/v2-0074", "RAD", "Radiology")));
        dr.setCode(new CodeableConcept(new Coding("http://loinc.org", "18748-4", "Diagnostic imaging study"))
                .setText("AI segmentation " + report.modelName() + " " + report.modelVersion()));
        dr.setSubject(patient(report, patientIdentifierSystem));
        dr.setEffective(new DateTimeType(observed));
        dr.setIssuedElement(new InstantType(Date.from(java.time.Instant.parse(report.time()))));
        dr.addImagingStudy(new Reference(studyUrl));

        List<String> segments = new ArrayList<>();
        if (report.measurements() != null) {
            for (SegmentMeasurement s : report.measurements()) {
                segments.add(MeasurementCodes.segmentNumber(s) + " " + (s.label() != null ? s.label() : s.type().meaning())
                        + " " + MeasurementCodes.volume(s.volumeMl()).toPlainString() + " mL");
                Observation volume = observation(report, s, MeasurementCodes.VOLUME, studyUrl, patientIdentifierSystem, observed);
                volume.setValue(quantity(MeasurementCodes.volume(s.volumeMl()), MeasurementCodes.MILLILITER));
                add(bundle, dr, volume, report, s, "volume");
                Observation voxels = observation(report, s, MeasurementCodes.VOXEL_COUNT, studyUrl, patientIdentifierSystem, observed);
                voxels.setValue(new IntegerType(Math.toIntExact(Math.min(s.voxelCount(), Integer.MAX_VALUE))));
                add(bundle, dr, voxels, report, s, "voxel-count");
                if (MeasurementCodes.hasMeanHu(s)) {
                    Observation mean = observation(report, s, MeasurementCodes.ATTENUATION, studyUrl, patientIdentifierSystem, observed);
                    mean.setMethod(concept(MeasurementCodes.MEAN));
                    mean.setValue(quantity(MeasurementCodes.mean(s.mean()), MeasurementCodes.HOUNSFIELD));
                    add(bundle, dr, mean, report, s, "mean");
                }
            }
        }
        dr.setConclusion("Segmentation by " + report.modelName() + " " + report.modelVersion() + " in DICOM SEG series "
                + report.segSeriesInstanceUid() + " (instance " + report.segSopInstanceUid() + ")"
                + (segments.isEmpty() ? "" : "; segments: " + String.join(", ", segments)));
        narrative(dr, dr.getConclusion());
        add(bundle, urnUuid(report, "report"), dr, identifierQuery(DICOM_UID, "urn:oid:" + report.segSopInstanceUid()));
        return bundle;
    }

    private static Observation observation(ResultReport report, SegmentMeasurement s, Coded what, String studyUrl,
                                           String patientSystem, Date observed) {
        Observation o = new Observation().setStatus(Observation.ObservationStatus.FINAL);
        o.addCategory(new CodeableConcept(new Coding("http://terminology.hl7.org/CodeSystem/observation-category", "imaging",
                "Imaging")));
        o.setCode(concept(what));
        o.setSubject(patient(report, patientSystem));
        o.setEffective(new DateTimeType(observed));
        o.setBodySite(concept(Coded.of(s.type())).setText(s.label()));
        o.addDerivedFrom(new Reference(studyUrl));
        return o;
    }

    private static void add(Bundle bundle, DiagnosticReport dr, Observation o, ResultReport report, SegmentMeasurement s,
                            String quantity) {
        String id = urnUuid(report, "segment/" + MeasurementCodes.segmentNumber(s) + "/" + quantity);
        narrative(o, (s.label() != null ? s.label() : s.type().meaning()) + ": " + o.getCode().getCodingFirstRep().getDisplay()
                + " " + (o.hasValueQuantity() ? o.getValueQuantity().getValue().toPlainString() + " " + o.getValueQuantity().getUnit()
                : o.getValue().primitiveValue()));
        o.addIdentifier().setSystem(URI_SYSTEM).setValue(id);
        dr.addResult(new Reference(id));
        add(bundle, id, o, identifierQuery(URI_SYSTEM, id));
    }

    /** A generated narrative (dom-6: a resource should have one), the text XHTML-escaped. */
    private static void narrative(org.hl7.fhir.r4.model.DomainResource resource, String text) {
        String escaped = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
        resource.getText().setStatus(org.hl7.fhir.r4.model.Narrative.NarrativeStatus.GENERATED)
                .setDivAsString("<div xmlns=\"http://www.w3.org/1999/xhtml\">" + escaped + "</div>");
    }

    private static void add(Bundle bundle, String fullUrl, Resource resource, String ifNoneExist) {
        bundle.addEntry().setFullUrl(fullUrl).setResource(resource).getRequest().setMethod(Bundle.HTTPVerb.POST)
                .setUrl(resource.fhirType()).setIfNoneExist(ifNoneExist);
    }

    private static String identifierQuery(String system, String value) {
        return "identifier=" + system + "|" + value;
    }

    private static Identifier accession(String accessionNumber) {
        return new Identifier().setType(new CodeableConcept(new Coding("http://terminology.hl7.org/CodeSystem/v2-0203", "ACSN",
                "Accession ID"))).setValue(accessionNumber);
    }

    private static Reference patient(ResultReport report, String system) {
        Identifier id = new Identifier().setValue(report.patientId());
        if (system != null) id.setSystem(system);
        return new Reference().setType("Patient").setIdentifier(id);
    }

    private static Quantity quantity(java.math.BigDecimal value, Coded unit) {
        return new Quantity().setValue(value).setUnit(unit.meaning()).setSystem("http://unitsofmeasure.org").setCode(unit.code());
    }

    static CodeableConcept concept(Coded c) {
        return new CodeableConcept(new Coding(system(c.scheme()), c.code(), c.meaning()));
    }

    /** The FHIR system of a DICOM coding scheme designator. */
    static String system(String scheme) {
        return switch (scheme) {
            case "SCT", "SRT" -> "http://snomed.info/sct";
            case "DCM" -> DCM;
            case "LN" -> "http://loinc.org";
            case "UCUM" -> "http://unitsofmeasure.org";
            case "99SGW" -> MeasurementCodes.LOCAL_SYSTEM;
            default -> "urn:dicom:coding-scheme:" + scheme;
        };
    }

    /** A fullUrl/identifier that is the same for every bundle of this result. */
    static String urnUuid(ResultReport report, String what) {
        return "urn:uuid:" + UUID.nameUUIDFromBytes((report.segSopInstanceUid() + "/" + what).getBytes(StandardCharsets.UTF_8));
    }
}
