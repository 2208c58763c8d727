package org.seggateway.gateway.atna;

import org.jdbi.v3.core.Handle;

/**
 * The last audit row an export has sent ({@code audit_export_positions}), and how many rows wait behind it. Rows are
 * appended under a transaction-scoped lock held until their commit ({@code AuditTrail}), so ids become visible in
 * order: a row the exporter has not seen never has a smaller id than one it has sent.
 */
final class ExportPosition {
    private ExportPosition() {
    }

    /** The id of the last row sent to {@code target}; 0 (the whole trail to send) the first time. */
    static long load(Handle h, String target) {
        h.createUpdate("""
                insert into audit_export_positions (target, last_id, updated_at) values (:target, 0, now())
                on conflict (target) do nothing""").bind("target", target).execute();
        return h.createQuery("select last_id from audit_export_positions where target = :target")
                .bind("target", target).mapTo(long.class).one();
    }

    static void save(Handle h, String target, long lastId, String lastHash) {
        h.createUpdate("update audit_export_positions set last_id = :lastId, last_hash = :lastHash, updated_at = now() where target = :target")
                .bind("lastId", lastId).bind("lastHash", lastHash).bind("target", target).execute();
    }

    /** Rows after {@code lastId}. */
    static long backlog(Handle h, long lastId) {
        return h.createQuery("select count(*) from audit_events where id > :lastId").bind("lastId", lastId).mapTo(long.class).one();
    }
}
