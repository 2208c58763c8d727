package org.seggateway.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.seggateway.cli.CliRun.run;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.seggateway.audit.AuditChain;
import org.seggateway.local.PostgresDatabase;
import org.seggateway.local.PrivateDatabase;

/**
 * {@code audit verify} on a database of its own with the real schema (trigger included): intact, a row edited by
 * someone who disabled the trigger as the table owner, a row removed.
 */
class AuditVerifyCommandTest {
    @TempDir
    Path dir;

    @Test
    void reportsAnIntactChainAndTheFirstBrokenLinkAfterTampering() throws Exception {
        try (PrivateDatabase db = PrivateDatabase.open(PostgresDatabase.setupDefault(), "seggateway_audit_test", dir.resolve("pg"),
                () -> {
                    throw new IOException("needs the PostgreSQL server and role of scripts/setup.sh");
                });
             Connection c = db.database().connect()) {
            try (Statement s = c.createStatement()) {
                s.execute(schema());
            }
            List<String> hashes = appendRows(c, 6);
            String[] verify = {"audit", "verify", "--jdbc-url", db.database().jdbcUrl(), "--user", db.database().username(),
                    "--password", db.database().password()};

            CliRun intact = run(verify);
            assertThat(intact.status()).as(intact.err()).isZero();
            assertThat(intact.out().trim()).isEqualTo("chain intact: 6 rows");

            assertThatThrownBy(() -> update(c, "update audit_events set actor = 'mallory' where id = 3"))
                    .hasMessageContaining("append-only");
            tampered(c, "update audit_events set actor = 'mallory' where id = 3");
            String expected = AuditChain.hash(hashes.get(1), occurredAt(c, 3), "test.event", "mallory", "10.0.0.3", "1.2.3.3",
                    "success", AuditChain.canonicalJson(Map.of("n", 3)));
            CliRun edited = run(verify);
            assertThat(edited.status()).as(edited.out() + edited.err()).isEqualTo(1);
            assertThat(edited.out().trim()).isEqualTo("chain broken at row 3: hash expected " + expected + ", found "
                    + hashes.get(2) + " (2 rows before it intact; the row's content was changed)");

            tampered(c, "update audit_events set actor = 'user-3' where id = 3");
            assertThat(run(verify).status()).isZero();
            tampered(c, "delete from audit_events where id = 4");
            CliRun removed = run(verify);
            assertThat(removed.status()).isEqualTo(1);
            assertThat(removed.out()).startsWith("chain broken at row 5: previous_hash expected " + hashes.get(2)
                    + ", found " + hashes.get(3));
        }
    }

    @Test
    void anUnreachableDatabaseIsAnErrorNotAVerdict() {
        CliRun r = run("audit", "verify", "--jdbc-url", "jdbc:postgresql://127.0.0.1:1/none", "--user", "x", "--password", "y");
        assertThat(r.status()).isEqualTo(2);
        assertThat(r.out()).doesNotContain("chain");
        assertThat(r.err()).startsWith("error: ").contains("127.0.0.1:1");
    }

    private static String schema() throws IOException {
        try (InputStream in = AuditVerifyCommandTest.class.getResourceAsStream("/db/migration/V1__initial_schema.sql")) {
            assertThat(in).as("migrations on the test class path").isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /** Rows as the gateway's AuditTrail writes them; returns their hashes in order (ids 1..n). */
    private static List<String> appendRows(Connection c, int n) throws SQLException {
        List<String> hashes = new ArrayList<>();
        String previous = AuditChain.GENESIS;
        Instant t = Instant.now().truncatedTo(ChronoUnit.MICROS);
        for (int i = 1; i <= n; i++) {
            String details = AuditChain.canonicalJson(Map.of("n", i));
            Instant at = t.plusMillis(i);
            String hash = AuditChain.hash(previous, at, "test.event", "user-" + i, "10.0.0." + i, "1.2.3." + i, "success", details);
            try (PreparedStatement s = c.prepareStatement("""
                    insert into audit_events (occurred_at, event_type, actor, source_address, study_instance_uid, outcome,
                                              details, previous_hash, hash)
                    values (?, 'test.event', ?, ?, ?, 'success', ?::jsonb, ?, ?)""")) {
                s.setTimestamp(1, Timestamp.from(at));
                s.setString(2, "user-" + i);
                s.setString(3, "10.0.0." + i);
                s.setString(4, "1.2.3." + i);
                s.setString(5, details);
                s.setString(6, previous);
                s.setString(7, hash);
                s.executeUpdate();
            }
            hashes.add(hash);
            previous = hash;
        }
        return hashes;
    }

    private static Instant occurredAt(Connection c, long id) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("select occurred_at from audit_events where id = " + id)) {
            rs.next();
            return rs.getTimestamp(1).toInstant();
        }
    }

    private static void update(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.executeUpdate(sql);
        }
    }

    /** What someone with the table owner's rights could do: switch the append-only trigger off around a change. */
    private static void tampered(Connection c, String sql) throws SQLException {
        update(c, "alter table audit_events disable trigger audit_events_append_only");
        update(c, sql);
        update(c, "alter table audit_events enable trigger audit_events_append_only");
    }
}
