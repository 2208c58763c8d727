package org.seggateway.gateway.atna;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * The last audit row an export has sent ({@code audit_export_positions}), and how many rows wait behind it. Rows are
 * appended under a transaction-scoped lock held until their commit ({@code AuditTrail}), so ids become visible in
 * order: a row the exporter has not seen never has a smaller id than one it has sent.
 */
final class ExportPosition {
    private ExportPosition() {
    }

    /** The id of the last row sent to {@code target}; 0 (the whole trail to send) the first time. */
    static long load(Connection c, String target) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("""
                insert into audit_export_positions (target, last_id, updated_at) values (?, 0, now())
                on conflict (target) do nothing""")) {
            s.setString(1, target);
            s.executeUpdate();
        }
        try (PreparedStatement s = c.prepareStatement("select last_id from audit_export_positions where target = ?")) {
            s.setString(1, target);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    static void save(Connection c, String target, long lastId, String lastHash) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(
                "update audit_export_positions set last_id = ?, last_hash = ?, updated_at = now() where target = ?")) {
            s.setLong(1, lastId);
            s.setString(2, lastHash);
            s.setString(3, target);
            s.executeUpdate();
        }
    }

    /** Rows after {@code lastId}. */
    static long backlog(Connection c, long lastId) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("select count(*) from audit_events where id > ?")) {
            s.setLong(1, lastId);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }
}
