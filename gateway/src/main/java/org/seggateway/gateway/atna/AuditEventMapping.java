package org.seggateway.gateway.atna;

import static org.seggateway.gateway.atna.AuditMessageContent.MINOR_FAILURE;
import static org.seggateway.gateway.atna.AuditMessageContent.SERIOUS_FAILURE;
import static org.seggateway.gateway.atna.AuditMessageContent.SUCCESS;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.seggateway.gateway.atna.AuditMessageContent.Event;
import org.seggateway.gateway.atna.AuditMessageContent.Participant;
import org.seggateway.gateway.atna.AuditMessageContent.ParticipantObject;
import org.seggateway.gateway.audit.AuditEntry;

/**
 * Which DICOM audit event (PS3.15 A.5.3) an audit trail row is, and who and what took part:
 *
 * <table>
 * <tr><th>row type (outcome)</th><th>EventID (EventTypeCode)</th><th>action</th></tr>
 * <tr><td>dicom.store</td><td>110104 DICOM Instances Transferred</td><td>C</td></tr>
 * <tr><td>dicom.association (accepted)</td><td>110102 Begin Transferring DICOM Instances</td><td>E</td></tr>
 * <tr><td>dicom.association (rejected)</td><td>110113 Security Alert (110126 Node Authentication)</td><td>E</td></tr>
 * <tr><td>delivery</td><td>110104 DICOM Instances Transferred</td><td>R</td></tr>
 * <tr><td>job.queued</td><td>110103 DICOM Instances Accessed</td><td>R</td></tr>
 * <tr><td>result.stored</td><td>110103 DICOM Instances Accessed</td><td>C</td></tr>
 * <tr><td>api.read of /api/audit</td><td>110101 Audit Log Used</td><td>R</td></tr>
 * <tr><td>api.read (others)</td><td>110112 Query</td><td>E</td></tr>
 * <tr><td>api.denied</td><td>110113 Security Alert (110132 Use of Restricted Function)</td><td>E</td></tr>
 * <tr><td>config.changed</td><td>110113 Security Alert (110131 Software Configuration)</td><td>U</td></tr>
 * <tr><td>user.login, user.logout</td><td>110114 User Authenticated (110122 Login, 110123 Logout)</td><td>E</td></tr>
 * <tr><td>application.start, .stop</td><td>110100 Application Activity (110120 Start, 110121 Stop)</td><td>E</td></tr>
 * <tr><td>anything else</td><td>the row type itself, code system SEG-GATEWAY</td><td>E</td></tr>
 * </table>
 * The study, when the row names one, is a participant object (Study Instance UID); no patient name or other
 * patient attribute is taken from anywhere but the row, whose details carry UIDs only (an API read's query may
 * carry the patient ID searched for: the auditor must see who searched for whom).
 */
public final class AuditEventMapping {
    static final String SEG_STORAGE = "1.2.840.10008.5.1.4.1.1.66.4";
    /** Longest free text taken into a message (an error, a query), so that a message stays well below 64 KiB. */
    static final int MAX_TEXT = 2048;

    private AuditEventMapping() {
    }

    public static AuditMessageContent map(AuditEntry row, LocalNode node) {
        String type = row.type();
        int outcome = outcome(row.outcome());
        JsonNode details = row.details();
        List<Participant> participants = new ArrayList<>();
        List<ParticipantObject> objects = new ArrayList<>();
        CodedValue id;
        List<CodedValue> types = List.of();
        String action = "E";
        String description = outcome == SUCCESS ? null : describe(row);

        switch (type) {
            case "dicom.store" -> {
                id = CodedValue.INSTANCES_TRANSFERRED;
                action = "C";
                participants.add(peer(row.actor(), row.address(), true, CodedValue.ROLE_SOURCE));
                participants.add(gateway(node, false, CodedValue.ROLE_DESTINATION));
                study(row, text(details, "sopClassUid"), objects);
            }
            case "dicom.association" -> {
                if ("rejected".equals(row.outcome())) {
                    id = CodedValue.SECURITY_ALERT;
                    types = List.of(CodedValue.NODE_AUTHENTICATION);
                    participants.add(peer(row.actor(), row.address(), true, null));
                    participants.add(gateway(node, false, null));
                } else if ("accepted".equals(row.outcome())) {
                    id = CodedValue.BEGIN_TRANSFERRING;
                    participants.add(peer(row.actor(), row.address(), true, CodedValue.ROLE_SOURCE));
                    participants.add(gateway(node, false, CodedValue.ROLE_DESTINATION));
                } else {
                    id = local(type);
                    participants.add(peer(row.actor(), row.address(), true, null));
                }
            }
            case "delivery" -> {
                id = CodedValue.INSTANCES_TRANSFERRED;
                action = "R";
                participants.add(new Participant(row.actor(), aeTitles(row.actor()), true, node.hostName(), CodedValue.ROLE_SOURCE));
                String calledAe = text(details, "calledAeTitle");
                String host = row.address() == null ? null : row.address().replaceFirst(":\\d+$", "");
                participants.add(new Participant(calledAe == null ? text(details, "destination") : calledAe, aeTitles(calledAe),
                        false, host, CodedValue.ROLE_DESTINATION));
                study(row, SEG_STORAGE, objects);
            }
            case "job.queued" -> {
                id = CodedValue.INSTANCES_ACCESSED;
                action = "R";
                participants.add(gateway(node, true, null));
                study(row, null, objects);
            }
            case "result.stored" -> {
                id = CodedValue.INSTANCES_ACCESSED;
                action = "C";
                participants.add(gateway(node, true, null));
                study(row, SEG_STORAGE, objects);
            }
            case "api.read" -> {
                String endpoint = text(details, "endpoint");
                boolean auditLog = endpoint != null && endpoint.startsWith("GET /api/audit");
                id = auditLog ? CodedValue.AUDIT_LOG_USED : CodedValue.QUERY;
                action = auditLog ? "R" : "E";
                participants.add(peer(row.actor(), row.address(), true, auditLog ? null : CodedValue.ROLE_SOURCE));
                participants.add(gateway(node, false, auditLog ? null : CodedValue.ROLE_DESTINATION));
                if (endpoint != null) {
                    JsonNode query = details.get("query");
                    byte[] asked = query == null ? null : cut(query.toString()).getBytes(StandardCharsets.UTF_8);
                    objects.add(new ParticipantObject(endpoint, 2, 24, CodedValue.URI, asked, null, 0));
                }
                study(row, null, objects);
            }
            case "api.denied" -> {
                id = CodedValue.SECURITY_ALERT;
                types = List.of(CodedValue.USE_OF_RESTRICTED_FUNCTION);
                participants.add(peer(row.actor(), row.address(), true, null));
                participants.add(gateway(node, false, null));
                outcome = Math.max(outcome, MINOR_FAILURE);
                description = describe(row);
            }
            case "config.changed" -> {
                id = CodedValue.SECURITY_ALERT;
                types = List.of(CodedValue.SOFTWARE_CONFIGURATION);
                action = "U";
                participants.add(peer(row.actor(), row.address(), true, null));
                participants.add(gateway(node, false, null));
            }
            case "user.login", "user.logout" -> {
                id = CodedValue.USER_AUTHENTICATED;
                types = List.of(type.endsWith("login") ? CodedValue.LOGIN : CodedValue.LOGOUT);
                participants.add(peer(row.actor(), row.address(), true, null));
                participants.add(gateway(node, false, null));
            }
            case "application.start", "application.stop" -> {
                id = CodedValue.APPLICATION_ACTIVITY;
                types = List.of(type.endsWith("start") ? CodedValue.APPLICATION_START : CodedValue.APPLICATION_STOP);
                participants.add(gateway(node, false, CodedValue.ROLE_APPLICATION));
                participants.add(new Participant(row.actor(), null, true, null, CodedValue.ROLE_APPLICATION_LAUNCHER));
            }
            default -> {
                id = local(type);
                participants.add(peer(row.actor(), row.address(), true, null));
                study(row, null, objects);
            }
        }
        return new AuditMessageContent(new Event(id, types, action, outcome, description, row.occurredAt()), participants,
                node.hostName(), objects);
    }

    /** EventOutcomeIndicator from the row's outcome word. */
    static int outcome(String word) {
        return switch (word == null ? "" : word.toLowerCase(Locale.ROOT)) {
            case "failed", "refused", "error" -> SERIOUS_FAILURE;
            case "rejected", "retry", "aborted", "denied", "not-found" -> MINOR_FAILURE;
            default -> SUCCESS;
        };
    }

    private static CodedValue local(String type) {
        return new CodedValue(type, CodedValue.LOCAL_SYSTEM, type);
    }

    private static Participant peer(String userId, String address, boolean requestor, CodedValue role) {
        return new Participant(userId, null, requestor, address, role);
    }

    private static Participant gateway(LocalNode node, boolean requestor, CodedValue role) {
        return new Participant(node.aeTitle(), aeTitles(node.aeTitle()) + ";PID=" + node.processId(), requestor, node.hostName(), role);
    }

    private static String aeTitles(String aeTitle) {
        return aeTitle == null ? null : "AETITLES=" + aeTitle;
    }

    private static void study(AuditEntry row, String sopClassUid, List<ParticipantObject> objects) {
        if (row.studyInstanceUid() != null)
            objects.add(new ParticipantObject(row.studyInstanceUid(), 2, 3, CodedValue.STUDY_INSTANCE_UID, null, sopClassUid,
                    sopClassUid == null ? 0 : 1));
    }

    /** The outcome and what the row says about it (reason, error, DIMSE status, detail). */
    private static String describe(AuditEntry row) {
        StringBuilder text = new StringBuilder(row.outcome());
        for (String key : List.of("status", "reason", "error", "detail", "stage")) {
            String value = text(row.details(), key);
            if (value != null && !value.isBlank()) text.append("; ").append(key).append(' ').append(value);
        }
        return cut(text.toString());
    }

    private static String text(JsonNode details, String key) {
        JsonNode value = details == null ? null : details.get(key);
        return value == null || value.isNull() ? null : value.isValueNode() ? value.asText() : value.toString();
    }

    private static String cut(String s) {
        return s.length() > MAX_TEXT ? s.substring(0, MAX_TEXT) + "..." : s;
    }
}
