package org.seggateway.gateway.audit;

import java.time.Instant;

/**
 * Which audit rows to list; null fields do not filter. {@code type} matches the event type or a dotted prefix of it
 * ({@code api} matches {@code api.read}); {@code from} is inclusive, {@code to} exclusive.
 */
public record AuditFilter(Instant from, Instant to, String studyInstanceUid, String actor, String type) {
}
