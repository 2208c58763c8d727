package org.seggateway.gateway.audit;

import org.seggateway.audit.AuditChain;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import javax.sql.DataSource;

/**
 * Appends to the append-only {@code audit_events} table, chaining each row to the previous one (see
 * {@link AuditChain}). Appends are serialized across threads and gateway instances by a transaction-scoped
 * PostgreSQL advisory lock, held from reading the last hash until the commit, so the chain never forks. Use
 * {@link #append(Connection, AuditEvent)} to record an event in the same transaction as the change it describes
 * (in READ COMMITTED, the default); the lock is then held until that transaction ends, so append last.
 */
@ApplicationScoped
public class AuditTrail {
    /** Advisory lock key of the audit chain ("audit" in ASCII). */
    static final long CHAIN_LOCK = 0x6175646974L;

    private final DataSource dataSource;

    AuditTrail(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Appends in its own transaction; returns the row id. */
    public long append(AuditEvent event) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                long id = append(c, event);
                c.commit();
                return id;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        }
    }

    /** Appends within the caller's transaction ({@code c} not in auto-commit); returns the row id. */
    public long append(Connection c, AuditEvent event) throws SQLException {
        if (c.getAutoCommit()) throw new IllegalStateException("audit append needs a transaction (auto-commit is on)");
        String details = AuditChain.canonicalJson(event.details());
        Instant occurredAt = Instant.now().truncatedTo(ChronoUnit.MICROS); // what timestamptz keeps
        try (PreparedStatement lock = c.prepareStatement("select pg_advisory_xact_lock(?)")) {
            lock.setLong(1, CHAIN_LOCK);
            lock.execute();
        }
        String previous = AuditChain.GENESIS;
        try (PreparedStatement s = c.prepareStatement("select hash from audit_events order by id desc limit 1");
             ResultSet rs = s.executeQuery()) {
            if (rs.next()) previous = rs.getString(1);
        }
        String hash = AuditChain.hash(previous, occurredAt, event.type(), event.actor(), event.address(),
                event.studyInstanceUid(), event.outcome(), details);
        try (PreparedStatement s = c.prepareStatement("""
                insert into audit_events (occurred_at, event_type, actor, source_address, study_instance_uid, outcome,
                                          details, previous_hash, hash)
                values (?, ?, ?, ?, ?, ?, ?::jsonb, ?, ?)
                returning id""")) {
            s.setTimestamp(1, Timestamp.from(occurredAt));
            s.setString(2, event.type());
            s.setString(3, event.actor());
            s.setString(4, event.address());
            s.setString(5, event.studyInstanceUid());
            s.setString(6, event.outcome());
            s.setString(7, details);
            s.setString(8, previous);
            s.setString(9, hash);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }
}
