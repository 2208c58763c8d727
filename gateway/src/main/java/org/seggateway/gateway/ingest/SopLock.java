package org.seggateway.gateway.ingest;

import java.util.List;
import org.jdbi.v3.core.Handle;
import org.seggateway.gateway.audit.AuditTrail;

/**
 * Serialises everything that decides which spool file and row a SOP Instance UID gets (ingest, restore, the orphan
 * sweep), over all gateways sharing the database: a PostgreSQL transaction advisory lock on the UID's hash, held
 * until the transaction ends. Two UIDs with the same hash merely wait for each other.
 */
final class SopLock {
    /** First key of the two-key advisory lock space ("SOP" in ASCII); the audit chain uses the one-key space. */
    static final int NAMESPACE = 0x534f50;

    /**
     * SQL that takes the locks of the UIDs bound as {@code :sops} (in their order) and then the audit chain's, with
     * {@code :namespace} bound to {@link #NAMESPACE}: see {@link #acquireWithAuditChain}.
     */
    static final String LOCK_WITH_AUDIT_CHAIN = "select " + AuditTrail.LOCK_CHAIN + "::text from (select count(pg_advisory_xact_lock(:namespace, hashtext(u.sop)))"
            + " from unnest(cast(:sops as text[])) with ordinality as u(sop, n)) locked";

    private SopLock() {}

    /** Takes the lock of {@code sopInstanceUid} in {@code h}'s transaction (one must be open). */
    static void acquire(Handle h, String sopInstanceUid) {
        h.createQuery("select pg_advisory_xact_lock(:namespace, hashtext(:sop))")
                .bind("namespace", NAMESPACE).bind("sop", sopInstanceUid)
                .mapTo(String.class).one();
    }

    /**
     * Takes the locks of {@code sopInstanceUids} in their order, then the audit chain's, in one statement: the chain's
     * lock is taken once every instance lock is held (the subquery's aggregate ends first), the order of every other
     * path that takes both (audit last).
     */
    static void acquireWithAuditChain(Handle h, List<String> sopInstanceUids) {
        h.createQuery(LOCK_WITH_AUDIT_CHAIN)
                .bind("namespace", NAMESPACE).bind("sops", sopInstanceUids.toArray(String[]::new))
                .mapTo(String.class).one();
    }
}
