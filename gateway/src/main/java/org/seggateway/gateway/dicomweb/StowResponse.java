package org.seggateway.gateway.dicomweb;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The STOW-RS response (PS3.18 10.5.3) in the DICOM JSON model: Referenced SOP Sequence (0008,1199) for the instances
 * stored, Failed SOP Sequence (0008,1198) with a Failure Reason (0008,1197) for each refused one, and the HTTP status:
 * 200 all stored, 202 some failed, 409 none stored.
 */
public final class StowResponse {
    static final String REFERENCED_SOP_SEQUENCE = "00081199";
    static final String FAILED_SOP_SEQUENCE = "00081198";
    static final String FAILURE_REASON = "00081197";
    static final String REFERENCED_SOP_CLASS_UID = "00081150";
    static final String REFERENCED_SOP_INSTANCE_UID = "00081155";

    /** One part's outcome; the UIDs are null when the part could not be read that far. */
    public record Outcome(int part, String sopClassUid, String sopInstanceUid, Integer failureReason, String reason) {
        public static Outcome stored(int part, String sopClassUid, String sopInstanceUid) {
            return new Outcome(part, sopClassUid, sopInstanceUid, null, null);
        }

        public static Outcome failed(int part, String sopClassUid, String sopInstanceUid, int failureReason, String reason) {
            return new Outcome(part, sopClassUid, sopInstanceUid, failureReason, reason);
        }

        public boolean isStored() {
            return failureReason == null;
        }
    }

    private final List<Outcome> outcomes = new ArrayList<>();

    public void add(Outcome outcome) {
        outcomes.add(outcome);
    }

    public List<Outcome> outcomes() {
        return List.copyOf(outcomes);
    }

    public long storedCount() {
        return outcomes.stream().filter(Outcome::isStored).count();
    }

    public int httpStatus() {
        long stored = storedCount();
        if (stored == outcomes.size()) return 200;
        return stored == 0 ? 409 : 202;
    }

    /** The body, as a map Jackson writes as application/dicom+json. */
    public Map<String, Object> body() {
        Map<String, Object> body = new LinkedHashMap<>();
        List<Map<String, Object>> stored = new ArrayList<>(), failed = new ArrayList<>();
        for (Outcome o : outcomes) {
            Map<String, Object> item = new LinkedHashMap<>();
            if (o.sopClassUid() != null && !o.sopClassUid().isEmpty()) item.put(REFERENCED_SOP_CLASS_UID, element("UI", o.sopClassUid()));
            if (o.sopInstanceUid() != null && !o.sopInstanceUid().isEmpty())
                item.put(REFERENCED_SOP_INSTANCE_UID, element("UI", o.sopInstanceUid()));
            if (o.isStored()) {
                stored.add(item);
            } else {
                item.put(FAILURE_REASON, element("US", o.failureReason()));
                failed.add(item);
            }
        }
        if (!failed.isEmpty()) body.put(FAILED_SOP_SEQUENCE, Map.of("vr", "SQ", "Value", failed));
        if (!stored.isEmpty()) body.put(REFERENCED_SOP_SEQUENCE, Map.of("vr", "SQ", "Value", stored));
        return body;
    }

    private static Map<String, Object> element(String vr, Object value) {
        return Map.of("vr", vr, "Value", List.of(value));
    }
}
