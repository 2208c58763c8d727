package org.seggateway.gateway.notify.hl7;

import ca.uhn.hl7v2.DefaultHapiContext;
import ca.uhn.hl7v2.HL7Exception;
import ca.uhn.hl7v2.HapiContext;
import ca.uhn.hl7v2.model.DataTypeException;
import ca.uhn.hl7v2.model.Message;
import ca.uhn.hl7v2.model.Type;
import ca.uhn.hl7v2.model.v251.datatype.CE;
import ca.uhn.hl7v2.model.v251.datatype.CWE;
import ca.uhn.hl7v2.model.v251.datatype.NM;
import ca.uhn.hl7v2.model.v251.datatype.RP;
import ca.uhn.hl7v2.model.v251.datatype.ST;
import ca.uhn.hl7v2.model.v251.message.ORU_R01;
import ca.uhn.hl7v2.model.v251.group.ORU_R01_ORDER_OBSERVATION;
import ca.uhn.hl7v2.model.v251.segment.MSH;
import ca.uhn.hl7v2.model.v251.segment.OBR;
import ca.uhn.hl7v2.model.v251.segment.OBX;
import ca.uhn.hl7v2.model.v251.segment.ORC;
import ca.uhn.hl7v2.model.v251.segment.PID;
import ca.uhn.hl7v2.parser.CanonicalModelClassFactory;
import ca.uhn.hl7v2.util.idgenerator.InMemoryIDGenerator;
import ca.uhn.hl7v2.validation.impl.ValidationContextFactory;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import org.seggateway.gateway.config.GatewayConfig;
import org.seggateway.gateway.notify.MeasurementCodes;
import org.seggateway.gateway.notify.MeasurementCodes.Coded;
import org.seggateway.gateway.notify.ResultReport;
import org.seggateway.gateway.results.SegmentMeasurement;

/**
 * The HL7 v2.5.1 ORU^R01 of a delivered result: MSH (control ID derived from the result), PID with the patient ID only,
 * ORC/OBR with the accession number as filler order number and the model as the procedure (result status F; C for a
 * result version after the first, which corrects the earlier one), then per segment an OBX of its structure (Finding
 * Site, CWE) and NM OBXs of its volume (mL), voxel count and, for CT, its mean (Hounsfield units), all with the segment
 * number as sub-ID; last the SEG's Study and Series Instance UIDs (ST) and its SOP Instance UID as a DICOM reference
 * pointer (RP). Built from the stored {@link ResultReport} alone, so that every attempt sends the same bytes.
 */
public final class Hl7ResultMessage {
    /** Parses any v2 version into the 2.5.1 structures; no validation of what a receiver sends back. */
    static final HapiContext HAPI = context();
    private static final DateTimeFormatter TS = DateTimeFormatter.ofPattern("yyyyMMddHHmmssZ").withZone(ZoneOffset.UTC);

    private Hl7ResultMessage() {}

    private static HapiContext context() {
        HapiContext context = new DefaultHapiContext(new CanonicalModelClassFactory("2.5.1"));
        context.setValidationContext(ValidationContextFactory.noValidation());
        context.getParserConfiguration().setIdGenerator(new InMemoryIDGenerator());
        return context;
    }

    /** MSH-10: the same for every attempt of one result, different for each result (so each result version). */
    public static String controlId(ResultReport report) {
        return "SEGGW" + report.resultId() + "." + report.resultVersion();
    }

    /** The message in ER7 (segments separated by CR). */
    public static String encode(ResultReport report, GatewayConfig.Hl7Receiver receiver) {
        try {
            return HAPI.getPipeParser().encode(build(report, receiver));
        } catch (HL7Exception e) {
            throw new IllegalStateException("ORU^R01 of result " + report.resultId() + ": " + e.getMessage(), e);
        }
    }

    static Message build(ResultReport report, GatewayConfig.Hl7Receiver receiver) throws HL7Exception {
        if (report.patientId() == null || report.patientId().isBlank())
            throw new IllegalArgumentException("result " + report.resultId() + " has no patient ID to send in PID-3");
        // not initQuickstart: its control ID generator keeps a counter file in the working folder
        ORU_R01 m = HAPI.newMessage(ORU_R01.class);
        String status = report.resultVersion() > 1 ? "C" : "F";
        MSH msh = m.getMSH();
        msh.getFieldSeparator().setValue("|");
        msh.getEncodingCharacters().setValue("^~\\&");
        msh.getMessageType().getMessageCode().setValue("ORU");
        msh.getMessageType().getTriggerEvent().setValue("R01");
        msh.getMessageType().getMessageStructure().setValue("ORU_R01");
        msh.getProcessingID().getProcessingID().setValue(receiver.processingId());
        msh.getVersionID().getVersionID().setValue("2.5.1");
        msh.getSendingApplication().getNamespaceID().setValue(receiver.sendingApplication());
        msh.getSendingFacility().getNamespaceID().setValue(receiver.sendingFacility());
        msh.getReceivingApplication().getNamespaceID().setValue(receiver.receivingApplication());
        msh.getReceivingFacility().getNamespaceID().setValue(receiver.receivingFacility());
        msh.getDateTimeOfMessage().getTime().setValue(ts(report.time()));
        msh.getMessageControlID().setValue(controlId(report));
        msh.getAcceptAcknowledgmentType().setValue("");
        msh.getApplicationAcknowledgmentType().setValue("");
        msh.getCharacterSet(0).setValue("UNICODE UTF-8");

        PID pid = m.getPATIENT_RESULT().getPATIENT().getPID();
        pid.getSetIDPID().setValue("1");
        pid.getPatientIdentifierList(0).getIDNumber().setValue(report.patientId());

        ORU_R01_ORDER_OBSERVATION order = m.getPATIENT_RESULT().getORDER_OBSERVATION();
        ORC orc = order.getORC();
        orc.getOrderControl().setValue("RE");
        if (report.accessionNumber() != null) orc.getFillerOrderNumber().getEntityIdentifier().setValue(report.accessionNumber());
        OBR obr = order.getOBR();
        obr.getSetIDOBR().setValue("1");
        if (report.accessionNumber() != null) obr.getFillerOrderNumber().getEntityIdentifier().setValue(report.accessionNumber());
        set(obr.getUniversalServiceIdentifier(), new Coded(report.modelName(),  "99SGW",
                "AI segmentation " + report.modelName() + " " + report.modelVersion()));
        obr.getObservationDateTime().getTime().setValue(ts(report.resultCreatedAt()));
        obr.getResultsRptStatusChngDateTime().getTime().setValue(ts(report.time()));
        obr.getDiagnosticServSectID().setValue("RAD");
        obr.getResultStatus().setValue(status);

        Observations obx = new Observations(m, order, status);
        if (report.measurements() != null) {
            for (SegmentMeasurement s : report.measurements()) {
                String sub = Integer.toString(MeasurementCodes.segmentNumber(s));
                CWE site = new CWE(m);
                Coded structure = Coded.of(s.type());
                site.getIdentifier().setValue(structure.code());
                site.getText().setValue(s.label() != null ? s.label() : structure.meaning());
                site.getNameOfCodingSystem().setValue(structure.scheme());
                obx.add("CWE", MeasurementCodes.FINDING_SITE, sub, site, null);
                obx.add("NM", MeasurementCodes.VOLUME, sub, nm(m, MeasurementCodes.volume(s.volumeMl()).toPlainString()),
                        MeasurementCodes.MILLILITER);
                obx.add("NM", MeasurementCodes.VOXEL_COUNT, sub, nm(m, Long.toString(s.voxelCount())), MeasurementCodes.VOXELS);
                if (MeasurementCodes.hasMeanHu(s)) {
                    OBX mean = obx.add("NM", MeasurementCodes.ATTENUATION, sub,
                            nm(m, MeasurementCodes.mean(s.mean()).toPlainString()), MeasurementCodes.HOUNSFIELD);
                    set(mean.getObservationMethod(0), MeasurementCodes.MEAN);
                }
            }
        }
        obx.add("ST", MeasurementCodes.STUDY_UID, null, st(m, report.studyInstanceUid()), null);
        obx.add("ST", MeasurementCodes.SERIES_UID, null, st(m, report.segSeriesInstanceUid()), null);
        RP seg = new RP(m);
        seg.getPointer().setValue(report.segSopInstanceUid());
        seg.getApplicationID().getNamespaceID().setValue(receiver.sendingApplication());
        seg.getTypeOfData().setValue("IM");
        seg.getSubtype().setValue("DICOM");
        obx.add("RP", MeasurementCodes.SEGMENTATION, null, seg, null);
        return m;
    }

    /** Appends OBX segments with consecutive set IDs. */
    private static final class Observations {
        private final Message m;
        private final ORU_R01_ORDER_OBSERVATION order;
        private final String status;
        private int n;

        Observations(Message m, ORU_R01_ORDER_OBSERVATION order, String status) {
            this.m = m;
            this.order = order;
            this.status = status;
        }

        OBX add(String valueType, Coded what, String subId, Type value, Coded units) throws HL7Exception {
            OBX obx = order.getOBSERVATION(n).getOBX();
            n++;
            obx.getSetIDOBX().setValue(Integer.toString(n));
            obx.getValueType().setValue(valueType);
            set(obx.getObservationIdentifier(), what);
            if (subId != null) obx.getObservationSubID().setValue(subId);
            obx.getObservationValue(0).setData(value);
            if (units != null) set(obx.getUnits(), units);
            obx.getObservationResultStatus().setValue(status);
            return obx;
        }
    }

    private static void set(CE ce, Coded c) throws DataTypeException {
        ce.getIdentifier().setValue(c.code());
        ce.getText().setValue(c.meaning());
        ce.getNameOfCodingSystem().setValue(c.scheme());
    }

    private static NM nm(Message m, String value) throws DataTypeException {
        NM nm = new NM(m);
        nm.setValue(value);
        return nm;
    }

    private static ST st(Message m, String value) throws DataTypeException {
        ST st = new ST(m);
        st.setValue(value);
        return st;
    }

    private static String ts(String isoInstant) {
        return TS.format(Instant.parse(isoInstant));
    }
}
