package org.seggateway.gateway.audit;

import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.PreparedBatch;
import org.seggateway.audit.AuditChain;
import org.seggateway.gateway.database.StatementChain;
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
        String previous = lockAndReadLastHash(h);
        Row row = row(previous, event);
        return h.createQuery(INSERT + " returning id").bindMap(row.values()).mapTo(long.class).one();
    }

    /** SQL that takes the chain's lock until the transaction ends, for a caller that reads the last hash after it. */
    public static final String LOCK_CHAIN = "pg_advisory_xact_lock(" + CHAIN_LOCK + ")";

    /** SQL of the hash to chain the next row to: run it in a statement after the one that took {@link #LOCK_CHAIN}. */
    public static final String LAST_HASH = "coalesce((select hash from audit_events order by id desc limit 1), '" + AuditChain.GENESIS + "')";

    /**
     * Appends several events in order within the caller's transaction, chained one after the other: one lock, one read
     * of the last hash and one batch of inserts, whatever their number.
     */
    public void appendAll(Handle h, List<AuditEvent> events) {
        if (events.isEmpty()) return;
        appendAllAfter(h, lockAndReadLastHash(h), events);
    }

    /**
     * {@link #appendAll} for a caller that took the chain's lock ({@link #LOCK_CHAIN}) in this transaction and then,
     * in a later statement, read {@code lastHash} ({@link #LAST_HASH}), so the chain's head cannot have moved since.
     */
    public void appendAllAfter(Handle h, String lastHash, List<AuditEvent> events) {
        if (!h.isInTransaction()) throw new IllegalStateException("audit append needs a transaction (auto-commit is on)");
        if (events.isEmpty()) return;
        String previous = lastHash;
        PreparedBatch batch = h.prepareBatch(INSERT);
        for (AuditEvent event : events) {
            Row row = row(previous, event);
            batch.bindMap(row.values()).add();
            previous = row.hash();
        }
        batch.execute();
    }

    /**
     * {@link #appendAllAfter(Handle, String, List)} as statements added to {@code chain}, to run in the same round trip as
     * the change they describe: the caller runs the chain in its transaction, which holds the chain's lock.
     */
    public void appendAllAfter(StatementChain chain, String lastHash, List<AuditEvent> events) {
        String previous = lastHash;
        for (AuditEvent event : events) {
            Row row = row(previous, event);
            chain.add(INSERT, row.values());
            previous = row.hash();
        }
    }

    private static final String INSERT = """
            insert into audit_events (occurred_at, event_type, actor, source_address, study_instance_uid, outcome,
                                      details, previous_hash, hash)
            values (:occurredAt, :type, :actor, :address, :study, :outcome, cast(:details as jsonb), :previous, :hash)""";

    /** Takes the chain's lock until the transaction ends, then reads the hash to chain to (in a statement of its own, so after the lock). */
    private static String lockAndReadLastHash(Handle h) {
        if (!h.isInTransaction()) throw new IllegalStateException("audit append needs a transaction (auto-commit is on)");
        h.execute("select pg_advisory_xact_lock(?)", CHAIN_LOCK);
        return h.createQuery("select hash from audit_events order by id desc limit 1")
                .mapTo(String.class).findOne().orElse(AuditChain.GENESIS);
    }

    /** The values of one row chained to {@code previous}, and its hash. */
    private record Row(Map<String, Object> values, String hash) {}

    private static Row row(String previous, AuditEvent event) {
        String details = AuditChain.canonicalJson(event.details());
        Instant occurredAt = Instant.now().truncatedTo(ChronoUnit.MICROS); // what timestamptz keeps
        String hash = AuditChain.hash(previous, occurredAt, event.type(), event.actor(), event.address(),
                event.studyInstanceUid(), event.outcome(), details);
        Map<String, Object> values = new HashMap<>();
        values.put("occurredAt", Timestamp.from(occurredAt));
        values.put("type", event.type());
        values.put("actor", event.actor());
        values.put("address", event.address());
        values.put("study", event.studyInstanceUid());
        values.put("outcome", event.outcome());
        values.put("details", details);
        values.put("previous", previous);
        values.put("hash", hash);
        return new Row(values, hash);
    }
}
