package org.seggateway.migrations;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class SchemaMigrationTest {
    static TestDatabase database;

    @BeforeAll
    static void migrate() throws SQLException {
        database = new TestDatabase();
        var result = Flyway.configure()
                .dataSource(database.url(), database.user(), database.password())
                .locations("classpath:db/migration")
                .load()
                .migrate();
        assertThat(result.success).isTrue();
        assertThat(result.migrationsExecuted).isGreaterThanOrEqualTo(1);
    }

    @AfterAll
    static void drop() throws SQLException {
        if (database != null) database.close();
    }

    @Test
    void createsThePipelineTables() throws SQLException {
        List<String> tables = new ArrayList<>();
        try (Connection c = database.connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("select table_name from information_schema.tables where table_schema = 'public'")) {
            while (rs.next()) tables.add(rs.getString(1));
        }
        assertThat(tables).contains("series", "instances", "routing_rules", "jobs", "results", "deliveries",
                "delivery_attempts", "audit_events");
        assertThat(tables).as("V4").contains("reprocess_batches");
        assertThat(tables).as("V5").contains("notifications");
    }

    @Test
    void refusesUnknownJobStates() throws SQLException {
        try (Connection c = database.connect(); Statement s = c.createStatement()) {
            s.execute("insert into series (series_instance_uid, study_instance_uid, calling_ae_title, first_received_at, last_received_at)"
                    + " values ('1.2.3', '1.2', 'CT1', now(), now())");
            assertThatThrownBy(() -> s.execute("insert into jobs (id, series_id, series_version, state, created_at, updated_at)"
                    + " select gen_random_uuid(), id, 1, 'lost', now(), now() from series where series_instance_uid = '1.2.3'"))
                    .isInstanceOf(SQLException.class)
                    .hasMessageContaining("jobs_state_check");
        }
    }

    @Test
    void auditEventsAreAppendOnly() throws SQLException {
        try (Connection c = database.connect(); Statement s = c.createStatement()) {
            s.execute("insert into audit_events (occurred_at, event_type, actor, outcome, previous_hash, hash)"
                    + " values (now(), 'test', 'unit', 'success', repeat('0', 64), repeat('a', 64))");
            assertThatThrownBy(() -> s.execute("update audit_events set actor = 'someone else'"))
                    .hasMessageContaining("append-only");
            assertThatThrownBy(() -> s.execute("delete from audit_events"))
                    .hasMessageContaining("append-only");
            try (ResultSet rs = s.executeQuery("select actor from audit_events")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1)).isEqualTo("unit");
            }
        }
    }
}
