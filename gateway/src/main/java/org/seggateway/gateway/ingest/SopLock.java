package org.seggateway.gateway.ingest;

import org.jdbi.v3.core.Handle;

/**
 * Serialises everything that decides which spool file and row a SOP Instance UID gets (ingest, restore, the orphan
 * sweep), over all gateways sharing the database: a PostgreSQL transaction advisory lock on the UID's hash, held
 * until the transaction ends. Two UIDs with the same hash merely wait for each other.
 */
final class SopLock {
    /** First key of the two-key advisory lock space ("SOP" in ASCII); the audit chain uses the one-key space. */
    private static final int NAMESPACE = 0x534f50;

    private SopLock() {}

    /** Takes the lock of {@code sopInstanceUid} in {@code h}'s transaction (one must be open). */
    static void acquire(Handle h, String sopInstanceUid) {
        h.createQuery("select pg_advisory_xact_lock(:namespace, hashtext(:sop))")
                .bind("namespace", NAMESPACE).bind("sop", sopInstanceUid)
                .mapTo(String.class).one();
    }
}
