package org.seggateway.gateway.atna;

import static org.seggateway.gateway.atna.AtnaLog.LOG;

import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.JdbiException;

/**
 * The PostgreSQL session advisory lock that lets one gateway instance of several on a database export at a time. It is
 * held by the session of the handle that took it, so that handle stays open while the export runs.
 */
final class ExportLock {
    /** Session advisory lock key of the export ("atna" in ASCII). */
    static final long KEY = 0x61746e61L;

    private ExportLock() {
    }

    /** False when another session holds it. */
    static boolean tryLock(Handle session) {
        return session.createQuery("select pg_try_advisory_lock(:key)").bind("key", KEY).mapTo(boolean.class).one();
    }

    /** Releases it: the pool keeps the session open, so the lock would outlive the export. */
    static void unlock(Handle session) {
        try {
            session.createQuery("select pg_advisory_unlock(:key)").bind("key", KEY).mapTo(boolean.class).one();
        } catch (JdbiException e) {
            LOG.lockNotReleased(e.getMessage());
        }
    }
}
