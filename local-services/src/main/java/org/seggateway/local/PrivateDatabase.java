package org.seggateway.local;

import java.io.IOException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.SQLException;
import java.util.HexFormat;
import java.util.Optional;

/**
 * A fresh, empty database for one run (the demo, a test): on the configured PostgreSQL server when it answers and
 * lets its role create databases, else on a {@link LocalPostgres} server of its own. {@link #close()} drops the
 * database, or stops the private server.
 */
public final class PrivateDatabase implements AutoCloseable {
    private final PostgresDatabase database;
    private final Optional<PostgresDatabase> createdOn;
    private final Optional<LocalPostgres> server;
    private final String description;

    private PrivateDatabase(PostgresDatabase database, Optional<PostgresDatabase> createdOn, Optional<LocalPostgres> server,
                            String description) {
        this.database = database;
        this.createdOn = createdOn;
        this.server = server;
        this.description = description;
    }

    /**
     * @param configured   the server to try first; its database must exist and its role needs CREATEDB
     * @param namePrefix   the new database is named {@code PREFIX_RANDOM}
     * @param serverFolder where a private server keeps its data when one is started
     * @param binaries     the server programs, asked for only when a private server is needed
     */
    public static PrivateDatabase open(PostgresDatabase configured, String namePrefix, Path serverFolder,
                                       BinariesSupplier binaries) throws IOException {
        String name = namePrefix + "_" + HexFormat.of().formatHex(new SecureRandom().generateSeed(4));
        Optional<String> problem = configured.problem();
        if (problem.isEmpty()) {
            try {
                configured.createDatabase(name);
                return new PrivateDatabase(configured.withDatabase(name), Optional.of(configured), Optional.empty(),
                        "database " + name + " on the configured server " + configured.jdbcUrl());
            } catch (SQLException e) {
                problem = Optional.of("cannot create a database there: " + e.getMessage());
            }
        }
        PostgresBinaries programs = binaries.get();
        LocalPostgres pg = LocalPostgres.start(serverFolder, programs);
        try {
            pg.database("postgres").createDatabase(name);
        } catch (SQLException e) {
            try {
                pg.close();
            } catch (InterruptedException ie) {
                Thread.currentThread().interrupt();
            } catch (IOException cleanup) {
                e.addSuppressed(cleanup);
            }
            throw new IOException("cannot create database " + name + " on the private PostgreSQL server: " + e.getMessage(), e);
        }
        return new PrivateDatabase(pg.database(name), Optional.empty(), Optional.of(pg),
                "database " + name + " on a private PostgreSQL server (port " + pg.port() + ", " + programs.origin() + ", running as "
                        + pg.user() + ", folder " + pg.directory() + "); the configured " + configured.jdbcUrl()
                        + " did not serve: " + problem.orElse("?"));
    }

    public PostgresDatabase database() {
        return database;
    }

    /** The private server, when one was started. */
    public Optional<LocalPostgres> server() {
        return server;
    }

    /** One line for the user: which database on which server, and why. */
    public String description() {
        return description;
    }

    @Override
    public void close() throws Exception {
        if (createdOn.isPresent()) createdOn.get().dropDatabase(database.databaseName());
        if (server.isPresent()) server.get().close();
    }

    /** Supplies the server programs; may unpack them first, hence the exception. */
    @FunctionalInterface
    public interface BinariesSupplier {
        PostgresBinaries get() throws IOException;
    }
}
