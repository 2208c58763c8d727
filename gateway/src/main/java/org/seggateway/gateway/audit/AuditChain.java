package org.seggateway.gateway.audit;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.seggateway.audit.ChainVerification;

/**
 * The gateway's name for the audit hash chain, which lives in the plain {@code audit-chain} module
 * ({@link org.seggateway.audit.AuditChain}) so that {@code bin/seg-gateway audit verify} can use it without Quarkus.
 */
public final class AuditChain {
    public static final String GENESIS = org.seggateway.audit.AuditChain.GENESIS;

    private AuditChain() {}

    public static String hash(String previousHash, Instant occurredAt, String type, String actor, String address,
                              String studyInstanceUid, String outcome, String detailsJson) {
        return org.seggateway.audit.AuditChain.hash(previousHash, occurredAt, type, actor, address, studyInstanceUid, outcome,
                detailsJson);
    }

    public static String canonicalJson(Map<String, ?> details) {
        return org.seggateway.audit.AuditChain.canonicalJson(details);
    }

    public static Optional<Long> firstBrokenRow(Connection c) throws SQLException {
        return org.seggateway.audit.AuditChain.firstBrokenRow(c);
    }

    public static ChainVerification verify(Connection c) throws SQLException {
        return org.seggateway.audit.AuditChain.verify(c);
    }
}
