package org.seggateway.gateway.audit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.Query;
import org.seggateway.gateway.database.Transactions;

/** Reads the audit trail for auditors. */
@ApplicationScoped
public class AuditQueries {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String COLUMNS = """
            select id, occurred_at, event_type, actor, source_address, study_instance_uid, outcome, details::text as details,
                   previous_hash, hash
            from audit_events""";
    private static final String WHERE = """
             where (:from::timestamptz is null or occurred_at >= :from)
               and (:to::timestamptz is null or occurred_at < :to)
               and (:study::varchar is null or study_instance_uid = :study)
               and (:actor::varchar is null or actor = :actor)
               and (:type::varchar is null or event_type = :type or starts_with(event_type, :type || '.'))
            """;

    private final Transactions transactions;

    AuditQueries(Transactions transactions) {
        this.transactions = transactions;
    }

    public AuditPage page(AuditFilter filter, int page, int size) {
        return transactions.withHandle(h -> {
            long total = bind(h.createQuery("select count(*) from audit_events" + WHERE), filter).mapTo(long.class).one();
            List<AuditEntry> entries = bind(h.createQuery(COLUMNS + WHERE + " order by id desc limit :limit offset :offset"), filter)
                    .bind("limit", size).bind("offset", (long) page * size)
                    .map((rs, ctx) -> entry(rs)).list();
            return new AuditPage(page, size, total, entries);
        });
    }

    /** Up to {@code limit} rows after row {@code afterId}, in id order (the order they were chained in). */
    public static List<AuditEntry> after(Handle h, long afterId, int limit) {
        return h.createQuery(COLUMNS + " where id > :afterId order by id limit :limit")
                .bind("afterId", afterId).bind("limit", limit)
                .map((rs, ctx) -> entry(rs)).list();
    }

    private static Query bind(Query q, AuditFilter f) {
        return q.bind("from", timestamp(f.from())).bind("to", timestamp(f.to())).bind("study", f.studyInstanceUid())
                .bind("actor", f.actor()).bind("type", f.type());
    }

    private static Timestamp timestamp(Instant t) {
        return t == null ? null : Timestamp.from(t);
    }

    private static AuditEntry entry(ResultSet rs) throws SQLException {
        try {
            return new AuditEntry(rs.getLong("id"), rs.getTimestamp("occurred_at").toInstant(), rs.getString("event_type"),
                    rs.getString("actor"), rs.getString("source_address"), rs.getString("study_instance_uid"),
                    rs.getString("outcome"), JSON.readTree(rs.getString("details")), rs.getString("previous_hash"),
                    rs.getString("hash"));
        } catch (JsonProcessingException e) {
            throw new SQLException("audit_events row " + rs.getLong("id") + ": details are not JSON", e);
        }
    }
}
