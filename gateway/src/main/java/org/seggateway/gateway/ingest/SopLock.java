package org.seggateway.gateway.ingest;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;

/**
 * Serialises everything that decides which spool file and row a SOP Instance UID gets (ingest, restore, the orphan
 * sweep), over all gateways sharing the database: a PostgreSQL transaction advisory lock on the UID's hash, held
 * until the transaction ends. Two UIDs with the same hash merely wait for each other.
 */
final class SopLock {
    /** First key of the two-key advisory lock space ("SOP" in ASCII); the audit chain uses the one-key space. */
    private static final int NAMESPACE = 0x534f50;

    private SopLock() {}

    /** Takes the lock of {@code sopInstanceUid} in {@code c}'s transaction (auto-commit must be off). */
    static void acquire(Connection c, String sopInstanceUid) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("select pg_advisory_xact_lock(?, hashtext(?))")) {
            s.setInt(1, NAMESPACE);
            s.setString(2, sopInstanceUid);
            s.execute();
        }
    }
}
