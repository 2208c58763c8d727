package org.seggateway.gateway.audit;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;

/** One row of the audit trail as {@code GET /api/audit} shows it, hashes included so a reader can follow the chain. */
public record AuditEntry(long id, Instant occurredAt, String type, String actor, String address, String studyInstanceUid,
                         String outcome, JsonNode details, String previousHash, String hash) {
}
