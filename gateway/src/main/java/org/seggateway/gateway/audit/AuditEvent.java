package org.seggateway.gateway.audit;

import java.util.Map;
import java.util.Objects;

/**
 * One entry for the audit trail: who (a user, a calling AE title, or the gateway itself) did what, from where, to
 * which study, with which outcome. {@code details} holds the specifics as JSON-able values (strings, numbers,
 * booleans, nested maps and lists); it must carry no patient data beyond UIDs.
 *
 * @param type    what happened, dotted lower case (e.g. {@code dicom.association}, {@code dicom.store}, {@code delivery})
 * @param actor   who did it (at most 128 characters)
 * @param address network address of the actor or the peer, or null
 * @param studyInstanceUid the study concerned, or null
 * @param outcome short result word (at most 16 characters, e.g. accepted, stored, refused, delivered, retry)
 */
public record AuditEvent(String type, String actor, String address, String studyInstanceUid, String outcome,
                         Map<String, ?> details) {

    public AuditEvent {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(actor, "actor");
        Objects.requireNonNull(outcome, "outcome");
        if (type.length() > 64) throw new IllegalArgumentException("audit event type longer than 64: " + type);
        if (outcome.length() > 16) throw new IllegalArgumentException("audit outcome longer than 16: " + outcome);
        actor = actor.length() > 128 ? actor.substring(0, 128) : actor;
        if (address != null && address.length() > 128) address = address.substring(0, 128);
        details = details == null ? Map.of() : details;
    }
}
