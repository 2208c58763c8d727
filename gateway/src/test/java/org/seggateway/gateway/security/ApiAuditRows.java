package org.seggateway.gateway.security;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

/** Reads back what the API wrote to the audit trail about requests whose path carries a test's marker. */
final class ApiAuditRows {
    private ApiAuditRows() {}

    /**
     * "actor address outcome method path status" of each denied request whose path contains {@code marker}, as the
     * {@code api.denied} rows list them (one row per group and flush, each listed request with its count), once
     * {@code expected} are there (rows are written at each flush, every second in the tests) or after 10 s;
     * " PATIENT-SECRET" is appended to a request of a row whose details contain "SECRET".
     */
    static List<String> denied(DataSource dataSource, String marker, int expected) throws SQLException, InterruptedException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        List<String> rows;
        do {
            rows = query(dataSource, """
                    select actor || ' ' || source_address || ' ' || outcome || ' ' || (r->>'method') || ' '
                           || (r->>'path') || ' ' || (details->>'status') || coalesce(' ' || study_instance_uid, '')
                           || case when details::text like '%SECRET%' then ' PATIENT-SECRET' else '' end
                    from audit_events, jsonb_array_elements(details->'requests') r, generate_series(1, (r->>'count')::int)
                    where event_type = 'api.denied' and r->>'path' like ? order by id""", marker);
            if (rows.size() >= expected) return rows;
            Thread.sleep(100);
        } while (System.nanoTime() < deadline);
        return rows;
    }

    /** "actor outcome endpoint" of the {@code api.read} rows whose query's {@code id} is {@code marker}. */
    static List<String> readsOfJob(DataSource dataSource, String marker) throws SQLException {
        return query(dataSource, """
                select actor || ' ' || outcome || ' ' || (details->>'endpoint')
                from audit_events where event_type = 'api.read' and details->'query'->>'id' like ? order by id""", marker);
    }

    private static List<String> query(DataSource dataSource, String sql, String marker) throws SQLException {
        List<String> rows = new ArrayList<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(sql)) {
            s.setString(1, "%" + marker + "%");
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) rows.add(rs.getString(1));
            }
        }
        return rows;
    }
}
