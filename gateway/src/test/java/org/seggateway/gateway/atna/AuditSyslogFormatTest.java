package org.seggateway.gateway.atna;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.seggateway.gateway.audit.AuditEntry;

/** Audit rows as RFC 5424 messages carrying DICOM audit messages, read back by the test's own parser and XPath. */
class AuditSyslogFormatTest {
    static final LocalNode NODE = new LocalNode("SEGGATEWAY", "gw1.example.org", 4242);
    static final AuditSyslogFormat FORMAT = new AuditSyslogFormat(NODE, "seg-gateway", 10, 32473);
    static final Instant AT = Instant.parse("2025-03-04T05:06:07.123456Z");
    static final String STUDY = "1.2.826.0.1.3680043.8.498.1";

    @Test
    void aStoredInstanceIsDicomInstancesTransferredFromTheCallingAeToTheGateway() throws Exception {
        Rfc5424 m = message(row(17, "dicom.store", "CT01", "10.1.2.3", STUDY, "stored",
                "{\"sopInstanceUid\":\"1.2.3.4\",\"sopClassUid\":\"1.2.840.10008.5.1.4.1.1.2\",\"bytes\":524288}"));

        assertThat(m.facility()).isEqualTo(10);
        assertThat(m.severity()).isEqualTo(SyslogMessage.NOTICE);
        assertThat(m.hostName()).isEqualTo("gw1.example.org");
        assertThat(m.appName()).isEqualTo("seg-gateway");
        assertThat(m.procId()).isEqualTo("4242");
        assertThat(m.msgId()).isEqualTo("IHE+RFC-3881");
        assertThat(m.parameter("rowId")).isEqualTo("17");
        assertThat(m.parameter("hash")).isEqualTo("b".repeat(64));
        assertThat(m.parameter("previousHash")).isEqualTo("a".repeat(64));

        assertThat(m.xpath("/AuditMessage/EventIdentification/EventID/@csd-code")).isEqualTo("110104");
        assertThat(m.xpath("/AuditMessage/EventIdentification/EventID/@codeSystemName")).isEqualTo("DCM");
        assertThat(m.xpath("/AuditMessage/EventIdentification/EventID/@originalText")).isEqualTo("DICOM Instances Transferred");
        assertThat(m.xpath("/AuditMessage/EventIdentification/@EventActionCode")).isEqualTo("C");
        assertThat(m.xpath("/AuditMessage/EventIdentification/@EventOutcomeIndicator")).isEqualTo("0");
        assertThat(m.xpath("/AuditMessage/EventIdentification/@EventDateTime")).isEqualTo("2025-03-04T05:06:07.123456Z");
        assertThat(m.xpath("/AuditMessage/ActiveParticipant[RoleIDCode/@csd-code='110153']/@UserID")).isEqualTo("CT01");
        assertThat(m.xpath("/AuditMessage/ActiveParticipant[RoleIDCode/@csd-code='110153']/@UserIsRequestor")).isEqualTo("true");
        assertThat(m.xpath("/AuditMessage/ActiveParticipant[RoleIDCode/@csd-code='110153']/@NetworkAccessPointID")).isEqualTo("10.1.2.3");
        assertThat(m.xpath("/AuditMessage/ActiveParticipant[RoleIDCode/@csd-code='110153']/@NetworkAccessPointTypeCode")).isEqualTo("2");
        assertThat(m.xpath("/AuditMessage/ActiveParticipant[RoleIDCode/@csd-code='110152']/@UserID")).isEqualTo("SEGGATEWAY");
        assertThat(m.xpath("/AuditMessage/ActiveParticipant[RoleIDCode/@csd-code='110152']/@AlternativeUserID"))
                .isEqualTo("AETITLES=SEGGATEWAY;PID=4242");
        assertThat(m.xpath("/AuditMessage/AuditSourceIdentification/@AuditSourceID")).isEqualTo("gw1.example.org");
        assertThat(m.xpath("count(/AuditMessage/ParticipantObjectIdentification)")).isEqualTo("1");
        assertThat(m.xpath("/AuditMessage/ParticipantObjectIdentification/@ParticipantObjectID")).isEqualTo(STUDY);
        assertThat(m.xpath("/AuditMessage/ParticipantObjectIdentification/ParticipantObjectIDTypeCode/@csd-code")).isEqualTo("110180");
        assertThat(m.xpath("/AuditMessage/ParticipantObjectIdentification/SOPClass/@UID")).isEqualTo("1.2.840.10008.5.1.4.1.1.2");
        assertThat(m.xpath("/AuditMessage/ParticipantObjectIdentification/SOPClass/@NumberOfInstances")).isEqualTo("1");
        // the element order of PS3.15 A.5.1
        assertThat(m.xpath("name(/AuditMessage/*[1])")).isEqualTo("EventIdentification");
        assertThat(m.xpath("name(/AuditMessage/*[last()])")).isEqualTo("ParticipantObjectIdentification");
        assertThat(m.xpath("name(/AuditMessage/ActiveParticipant[last()]/following-sibling::*[1])")).isEqualTo("AuditSourceIdentification");
    }

    @Test
    void aRefusedInstanceIsASeriousFailureWithItsReason() throws Exception {
        Rfc5424 m = message(row(3, "dicom.store", "CT01", "10.1.2.3", null, "refused",
                "{\"status\":\"0xA900\",\"reason\":\"Pixel Data shorter than Rows x Columns\"}"));
        assertThat(m.severity()).isEqualTo(SyslogMessage.WARNING);
        assertThat(m.xpath("/AuditMessage/EventIdentification/@EventOutcomeIndicator")).isEqualTo("8");
        assertThat(m.xpath("/AuditMessage/EventIdentification/EventOutcomeDescription"))
                .isEqualTo("refused; status 0xA900; reason Pixel Data shorter than Rows x Columns");
        assertThat(m.xpath("count(/AuditMessage/ParticipantObjectIdentification)")).isEqualTo("0");
    }

    @Test
    void associationsBeginTransfersOrRaiseSecurityAlerts() throws Exception {
        Rfc5424 accepted = message(row(4, "dicom.association", "CT01", "10.1.2.3", null, "accepted", "{\"associationId\":9}"));
        assertThat(accepted.xpath("/AuditMessage/EventIdentification/EventID/@csd-code")).isEqualTo("110102");

        Rfc5424 rejected = message(row(5, "dicom.association", "INTRUDER", "10.6.6.6", null, "rejected",
                "{\"detail\":\"calling AE title not allowed\"}"));
        assertThat(rejected.severity()).isEqualTo(SyslogMessage.WARNING);
        assertThat(rejected.xpath("/AuditMessage/EventIdentification/EventID/@csd-code")).isEqualTo("110113");
        assertThat(rejected.xpath("/AuditMessage/EventIdentification/EventTypeCode/@csd-code")).isEqualTo("110126");
        assertThat(rejected.xpath("/AuditMessage/EventIdentification/@EventOutcomeIndicator")).isEqualTo("4");
        assertThat(rejected.xpath("/AuditMessage/ActiveParticipant[@UserIsRequestor='true']/@UserID")).isEqualTo("INTRUDER");

        Rfc5424 released = message(row(6, "dicom.association", "CT01", "10.1.2.3", null, "released", "{}"));
        assertThat(released.xpath("/AuditMessage/EventIdentification/EventID/@csd-code")).isEqualTo("dicom.association");
        assertThat(released.xpath("/AuditMessage/EventIdentification/EventID/@codeSystemName")).isEqualTo("SEG-GATEWAY");
    }

    @Test
    void aDeliveryIsDicomInstancesTransferredFromTheGatewayToThePacs() throws Exception {
        Rfc5424 m = message(row(8, "delivery", "SEGGATEWAY", "pacs.example.org:104", STUDY, "retry",
                "{\"destination\":\"pacs\",\"calledAeTitle\":\"PACS1\",\"error\":\"connection refused\"}"));
        assertThat(m.xpath("/AuditMessage/EventIdentification/EventID/@csd-code")).isEqualTo("110104");
        assertThat(m.xpath("/AuditMessage/EventIdentification/@EventActionCode")).isEqualTo("R");
        assertThat(m.xpath("/AuditMessage/EventIdentification/@EventOutcomeIndicator")).isEqualTo("4");
        assertThat(m.xpath("/AuditMessage/ActiveParticipant[RoleIDCode/@csd-code='110152']/@UserID")).isEqualTo("PACS1");
        assertThat(m.xpath("/AuditMessage/ActiveParticipant[RoleIDCode/@csd-code='110152']/@NetworkAccessPointID")).isEqualTo("pacs.example.org");
        assertThat(m.xpath("/AuditMessage/ActiveParticipant[RoleIDCode/@csd-code='110152']/@NetworkAccessPointTypeCode")).isEqualTo("1");
        assertThat(m.xpath("/AuditMessage/ActiveParticipant[RoleIDCode/@csd-code='110153']/@UserIsRequestor")).isEqualTo("true");
        assertThat(m.xpath("/AuditMessage/ParticipantObjectIdentification/SOPClass/@UID")).isEqualTo(AuditEventMapping.SEG_STORAGE);
    }

    @Test
    void anApiReadIsAQueryWithTheQueryAsAskedAndTheAuditApiIsAuditLogUsed() throws Exception {
        Rfc5424 m = message(row(9, "api.read", "alice", "192.168.1.20", STUDY, "success",
                "{\"endpoint\":\"GET /api/studies/{studyUid}\",\"query\":{\"studyUid\":\"" + STUDY + "\"}}"));
        assertThat(m.xpath("/AuditMessage/EventIdentification/EventID/@csd-code")).isEqualTo("110112");
        assertThat(m.xpath("/AuditMessage/ActiveParticipant[@UserIsRequestor='true']/@UserID")).isEqualTo("alice");
        String query = m.xpath("/AuditMessage/ParticipantObjectIdentification[@ParticipantObjectTypeCodeRole='24']/ParticipantObjectQuery");
        assertThat(new String(Base64.getDecoder().decode(query), StandardCharsets.UTF_8)).isEqualTo("{\"studyUid\":\"" + STUDY + "\"}");
        assertThat(m.xpath("/AuditMessage/ParticipantObjectIdentification[@ParticipantObjectTypeCodeRole='24']/@ParticipantObjectID"))
                .isEqualTo("GET /api/studies/{studyUid}");
        assertThat(m.xpath("/AuditMessage/ParticipantObjectIdentification[ParticipantObjectIDTypeCode/@csd-code='110180']/@ParticipantObjectID"))
                .isEqualTo(STUDY);

        Rfc5424 audit = message(row(10, "api.read", "auditor", "192.168.1.21", null, "success",
                "{\"endpoint\":\"GET /api/audit\",\"query\":{}}"));
        assertThat(audit.xpath("/AuditMessage/EventIdentification/EventID/@csd-code")).isEqualTo("110101");
    }

    @Test
    void anOidcSignInAndSignOutAreUserAuthenticationLoginAndLogout() throws Exception {
        Rfc5424 login = message(row(15, "user.login", "dr-operator", "10.1.2.3", null, "success",
                "{\"mechanism\":\"oidc-code-flow\",\"roles\":[\"operator\"]}"));
        assertThat(login.xpath("/AuditMessage/EventIdentification/EventID/@csd-code")).isEqualTo("110114");
        assertThat(login.xpath("/AuditMessage/EventIdentification/EventTypeCode/@csd-code")).isEqualTo("110122");
        assertThat(login.xpath("/AuditMessage/EventIdentification/@EventOutcomeIndicator")).isEqualTo("0");
        assertThat(login.xpath("/AuditMessage/ActiveParticipant[@UserIsRequestor='true']/@UserID")).isEqualTo("dr-operator");
        assertThat(login.xpath("/AuditMessage/ActiveParticipant[@UserIsRequestor='true']/@NetworkAccessPointID")).isEqualTo("10.1.2.3");
        assertThat(login.xpath("/AuditMessage/ActiveParticipant[@UserIsRequestor='false']/@UserID")).isEqualTo("SEGGATEWAY");
        Rfc5424 logout = message(row(16, "user.logout", "dr-operator", "10.1.2.3", null, "success", "{}"));
        assertThat(logout.xpath("/AuditMessage/EventIdentification/EventID/@csd-code")).isEqualTo("110114");
        assertThat(logout.xpath("/AuditMessage/EventIdentification/EventTypeCode/@csd-code")).isEqualTo("110123");
    }

    @Test
    void startAndStopAreApplicationActivityAndTheRestKeepsItsOwnType() throws Exception {
        Rfc5424 start = message(row(1, "application.start", "seg", null, null, "success", "{\"pid\":4242}"));
        assertThat(start.xpath("/AuditMessage/EventIdentification/EventID/@csd-code")).isEqualTo("110100");
        assertThat(start.xpath("/AuditMessage/EventIdentification/EventTypeCode/@csd-code")).isEqualTo("110120");
        assertThat(start.xpath("/AuditMessage/ActiveParticipant[RoleIDCode/@csd-code='110150']/@UserID")).isEqualTo("SEGGATEWAY");
        assertThat(start.xpath("/AuditMessage/ActiveParticipant[RoleIDCode/@csd-code='110151']/@UserID")).isEqualTo("seg");

        Rfc5424 denied = message(row(13, "api.denied", "bob", "10.0.0.9", null, "forbidden", "{\"method\":\"GET\",\"status\":403}"));
        assertThat(denied.xpath("/AuditMessage/EventIdentification/EventTypeCode/@csd-code")).isEqualTo("110132");
        assertThat(denied.xpath("/AuditMessage/EventIdentification/@EventOutcomeIndicator")).isEqualTo("4");
        assertThat(denied.xpath("/AuditMessage/EventIdentification/EventOutcomeDescription")).isEqualTo("forbidden; status 403");
        Rfc5424 changed = message(row(14, "config.changed", "seg-gateway", null, null, "success", "{}"));
        assertThat(changed.xpath("/AuditMessage/EventIdentification/EventID/@csd-code")).isEqualTo("110113");
        assertThat(changed.xpath("/AuditMessage/EventIdentification/EventTypeCode/@csd-code")).isEqualTo("110131");

        Rfc5424 stored = message(row(11, "result.stored", "seg-gateway", null, STUDY, "stored", "{\"jobId\":\"j\"}"));
        assertThat(stored.xpath("/AuditMessage/EventIdentification/EventID/@csd-code")).isEqualTo("110103");
        assertThat(stored.xpath("/AuditMessage/EventIdentification/@EventActionCode")).isEqualTo("C");

        Rfc5424 failed = message(row(12, "job.failed", "seg-gateway", null, STUDY, "failed", "{\"stage\":\"inference\",\"reason\":\"<oom> & \\\"more\\\"\"}"));
        assertThat(failed.xpath("/AuditMessage/EventIdentification/EventID/@csd-code")).isEqualTo("job.failed");
        assertThat(failed.xpath("/AuditMessage/EventIdentification/@EventOutcomeIndicator")).isEqualTo("8");
        assertThat(failed.xpath("/AuditMessage/EventIdentification/EventOutcomeDescription"))
                .isEqualTo("failed; reason <oom> & \"more\"; stage inference");
        assertThat(failed.xpath("/AuditMessage/ParticipantObjectIdentification/@ParticipantObjectID")).isEqualTo(STUDY);
    }

    @Test
    void headerFieldsAndFramingFollowTheRfcs() {
        byte[] m = SyslogMessage.format(10, 5, AT, "host name", "app", 7, SyslogMessage.element("x@32473", "v", "a\"b]c\\"),
                "<a/>".getBytes(StandardCharsets.UTF_8));
        String text = new String(m, StandardCharsets.UTF_8);
        assertThat(text).isEqualTo("<85>1 2025-03-04T05:06:07.123Z host_name app 7 IHE+RFC-3881 [x@32473 v=\"a\\\"b\\]c\\\\\"] \uFEFF<a/>");
        assertThat(Rfc5424.parse(text).parameter("v")).isEqualTo("a\"b]c\\");
        assertThat(new String(SyslogMessage.octetCounted(m), StandardCharsets.UTF_8)).startsWith(m.length + " <85>1 ");
        assertThatThrownBy(() -> new AuditSyslogFormat(NODE, "seg gateway", 10, 32473)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new AuditSyslogFormat(NODE, "seg-gateway", 24, 32473)).isInstanceOf(IllegalArgumentException.class);
    }

    static Rfc5424 message(AuditEntry row) {
        Rfc5424 m = Rfc5424.parse(new String(FORMAT.message(row, Instant.now()), StandardCharsets.UTF_8));
        assertThat(m.msg()).doesNotContain("\n");
        return m;
    }

    static AuditEntry row(long id, String type, String actor, String address, String study, String outcome, String details) throws Exception {
        return new AuditEntry(id, AT, type, actor, address, study, outcome, new ObjectMapper().readTree(details), "a".repeat(64),
                "b".repeat(64));
    }
}
