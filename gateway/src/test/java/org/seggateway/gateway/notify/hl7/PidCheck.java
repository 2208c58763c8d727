package org.seggateway.gateway.notify.hl7;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.hl7v2.HL7Exception;
import ca.uhn.hl7v2.model.v251.segment.PID;

/** No more PHI than the RIS has: PID carries the patient ID and nothing else. */
final class PidCheck {
    private PidCheck() {}

    static void assertOnlyTheId(PID pid, String patientId) throws HL7Exception {
        assertThat(pid.getPatientIdentifierList(0).getIDNumber().getValue()).isEqualTo(patientId);
        assertThat(pid.encode()).isEqualTo("PID|1||" + patientId);
    }
}
