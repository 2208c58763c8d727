package org.seggateway.gateway.audit;

import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.seggateway.audit.AuditChain;
import org.seggateway.gateway.database.Transactions;

/**
 * Appends to the append-only {@code audit_events} table, chaining each row to the previous one (see
 * {@link AuditChain}). Appends are serialized across threads and gateway instances by a transaction-scoped
 * PostgreSQL advisory lock, held from reading the last hash until the commit, so the chain never forks. Use
 * {@link #append(Handle, AuditEvent)} to record an event in the same transaction as the change it describes
 * (in READ COMMITTED, the default); the lock is then held until that transaction ends, so append last.
 */
@ApplicationScoped
public class AuditTrail {
    /** Advisory lock key of the audit chain ("audit" in ASCII). */
    static final long CHAIN_LOCK = 0x6175646974L;

    private final Transactions transactions;

    AuditTrail(Transactions transactions) {
        this.transactions = transactions;
    }

    /** Appends in its own transaction; returns the row id. */
    public long append(AuditEvent event) {
        return transactions.inTransaction(h -> append(h, event));
    }

    /** Appends within the caller's transaction ({@code h} not in auto-commit); returns the row id. */
    public long append(Handle h, AuditEvent event) {
        if (!h.isInTransaction()) throw new IllegalStateException("audit append needs a transaction (auto-commit is on)");
        String details = AuditChain.canonicalJson(event.details());
        Instant occurredAt = Instant.now().truncatedTo(ChronoUnit.MICROS); // what timestamptz keeps
        h.execute("select pg_advisory_xact_lock(?)", CHAIN_LOCK);
        String previous = h.createQuery("select hash from audit_events order by id desc limit 1")
                .mapTo(String.class).findOne().orElse(AuditChain.GENESIS);
        String hash = AuditChain.hash(previous, occurredAt, event.type(), event.actor(), event.address(),
                event.studyInstanceUid(), event.outcome(), details);
        return h.createQuery("""
                        insert into audit_events (occurred_at, event_type, actor, source_address, study_instance_uid, outcome,
                                                  details, previous_hash, hash)
                        values (:occurredAt, :type, :actor, :address, :study, :outcome, :details::jsonb, :previous, :hash)
                        returning id""")
                .bind("occurredAt", Timestamp.from(occurredAt))
                .bind("type", event.type())
                .bind("actor", event.actor())
                .bind("address", event.address())
                .bind("study", event.studyInstanceUid())
                .bind("outcome", event.outcome())
                .bind("details", details)
                .bind("previous", previous)
                .bind("hash", hash)
                .mapTo(long.class).one();
    }
}
