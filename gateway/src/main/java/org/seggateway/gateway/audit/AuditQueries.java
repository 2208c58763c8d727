package org.seggateway.gateway.audit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

/** Reads the audit trail for auditors. */
@ApplicationScoped
public class AuditQueries {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String WHERE = """
             where (?::timestamptz is null or occurred_at >= ?)
               and (?::timestamptz is null or occurred_at < ?)
               and (?::varchar is null or study_instance_uid = ?)
               and (?::varchar is null or actor = ?)
               and (?::varchar is null or event_type = ? or starts_with(event_type, ? || '.'))
            """;

    private final DataSource dataSource;

    AuditQueries(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    public AuditPage page(AuditFilter filter, int page, int size) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            long total;
            try (PreparedStatement s = c.prepareStatement("select count(*) from audit_events" + WHERE)) {
                bind(s, filter);
                try (ResultSet rs = s.executeQuery()) {
                    rs.next();
                    total = rs.getLong(1);
                }
            }
            List<AuditEntry> entries = new ArrayList<>();
            try (PreparedStatement s = c.prepareStatement("""
                    select id, occurred_at, event_type, actor, source_address, study_instance_uid, outcome, details::text,
                           previous_hash, hash
                    from audit_events""" + WHERE + " order by id desc limit ? offset ?")) {
                int i = bind(s, filter);
                s.setInt(i++, size);
                s.setLong(i, (long) page * size);
                try (ResultSet rs = s.executeQuery()) {
                    while (rs.next()) entries.add(entry(rs));
                }
            }
            return new AuditPage(page, size, total, entries);
        }
    }

    /** Up to {@code limit} rows after row {@code afterId}, in id order (the order they were chained in). */
    public static List<AuditEntry> after(Connection c, long afterId, int limit) throws SQLException {
        List<AuditEntry> entries = new ArrayList<>();
        try (PreparedStatement s = c.prepareStatement("""
                select id, occurred_at, event_type, actor, source_address, study_instance_uid, outcome, details::text,
                       previous_hash, hash
                from audit_events where id > ? order by id limit ?""")) {
            s.setLong(1, afterId);
            s.setInt(2, limit);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) entries.add(entry(rs));
            }
        }
        return entries;
    }

    private static int bind(PreparedStatement s, AuditFilter f) throws SQLException {
        Timestamp from = f.from() == null ? null : Timestamp.from(f.from()), to = f.to() == null ? null : Timestamp.from(f.to());
        s.setTimestamp(1, from);
        s.setTimestamp(2, from);
        s.setTimestamp(3, to);
        s.setTimestamp(4, to);
        s.setString(5, f.studyInstanceUid());
        s.setString(6, f.studyInstanceUid());
        s.setString(7, f.actor());
        s.setString(8, f.actor());
        s.setString(9, f.type());
        s.setString(10, f.type());
        s.setString(11, f.type());
        return 12;
    }

    private static AuditEntry entry(ResultSet rs) throws SQLException {
        try {
            return new AuditEntry(rs.getLong(1), rs.getTimestamp(2).toInstant(), rs.getString(3), rs.getString(4), rs.getString(5),
                    rs.getString(6), rs.getString(7), JSON.readTree(rs.getString(8)), rs.getString(9), rs.getString(10));
        } catch (JsonProcessingException e) {
            throw new SQLException("audit_events row " + rs.getLong(1) + ": details are not JSON", e);
        }
    }
}
