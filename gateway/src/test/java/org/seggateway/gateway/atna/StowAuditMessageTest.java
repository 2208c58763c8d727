package org.seggateway.gateway.atna;

import static org.assertj.core.api.Assertions.assertThat;
import static org.seggateway.gateway.atna.AuditSyslogFormatTest.message;
import static org.seggateway.gateway.atna.AuditSyslogFormatTest.row;

import org.junit.jupiter.api.Test;

/** An instance stored by STOW-RS is exported as the C-STORE one is, with the HTTP user as the source. */
class StowAuditMessageTest {

    @Test
    void aStowRsInstanceIsDicomInstancesTransferredFromTheHttpUser() throws Exception {
        Rfc5424 m = message(row(21, "dicom.store", "ris-bridge", "10.1.2.9", AuditSyslogFormatTest.STUDY, "stored",
                "{\"sopInstanceUid\":\"1.2.3.4\",\"sopClassUid\":\"1.2.840.10008.5.1.4.1.1.2\",\"via\":\"stow-rs\","
                        + "\"stowRequestId\":7,\"callingAeTitle\":\"RISBRIDGE\"}"));

        assertThat(m.xpath("/AuditMessage/EventIdentification/EventID/@csd-code")).isEqualTo("110104");
        assertThat(m.xpath("/AuditMessage/EventIdentification/@EventActionCode")).isEqualTo("C");
        assertThat(m.xpath("/AuditMessage/ActiveParticipant[RoleIDCode/@csd-code='110153']/@UserID")).isEqualTo("ris-bridge");
        assertThat(m.xpath("/AuditMessage/ActiveParticipant[RoleIDCode/@csd-code='110153']/@AlternativeUserID"))
                .as("a user, not an AE title").isEmpty();
        assertThat(m.xpath("/AuditMessage/ActiveParticipant[RoleIDCode/@csd-code='110153']/@NetworkAccessPointID")).isEqualTo("10.1.2.9");
        assertThat(m.xpath("/AuditMessage/ActiveParticipant[RoleIDCode/@csd-code='110152']/@UserID")).isEqualTo("SEGGATEWAY");
        assertThat(m.xpath("/AuditMessage/ParticipantObjectIdentification/@ParticipantObjectID")).isEqualTo(AuditSyslogFormatTest.STUDY);
    }
}
