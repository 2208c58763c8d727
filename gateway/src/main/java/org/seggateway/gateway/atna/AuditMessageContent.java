package org.seggateway.gateway.atna;

import java.time.Instant;
import java.util.List;

/**
 * What one DICOM audit message (PS3.15 A.5.1) says, before it is written as XML: the event, the active participants,
 * the audit source and the participant objects.
 */
public record AuditMessageContent(Event event, List<Participant> participants, String auditSourceId, List<ParticipantObject> objects) {

    /** Outcome indicators of EventIdentification. */
    public static final int SUCCESS = 0, MINOR_FAILURE = 4, SERIOUS_FAILURE = 8;

    /**
     * @param action  EventActionCode: C(reate), R(ead), U(pdate), D(elete) or E(xecute)
     * @param outcome {@link #SUCCESS}, {@link #MINOR_FAILURE} or {@link #SERIOUS_FAILURE}
     * @param outcomeDescription free text, or null
     */
    public record Event(CodedValue id, List<CodedValue> types, String action, int outcome, String outcomeDescription,
                        Instant occurredAt) {
    }

    /**
     * @param networkAccessPoint host name or IP address, or null
     * @param role RoleIDCode, or null
     */
    public record Participant(String userId, String alternativeUserId, boolean requestor, String networkAccessPoint,
                              CodedValue role) {
    }

    /**
     * @param typeCode     ParticipantObjectTypeCode: 1 person, 2 system object, 3 organization, 4 other
     * @param typeCodeRole ParticipantObjectTypeCodeRole: 3 report, 24 query, ...
     * @param query        ParticipantObjectQuery (raw bytes, written base64), or null
     * @param sopClassUid  SOPClass UID of the instances concerned, or null
     * @param instances    their number (with sopClassUid)
     */
    public record ParticipantObject(String id, int typeCode, int typeCodeRole, CodedValue idType, byte[] query,
                                    String sopClassUid, int instances) {
    }
}
