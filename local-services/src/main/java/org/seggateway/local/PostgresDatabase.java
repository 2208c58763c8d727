package org.seggateway.local;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Optional;
import java.util.Properties;
import java.util.regex.Pattern;

/** Where a PostgreSQL database is and how to log in: what the gateway's datasource needs. */
public record PostgresDatabase(String jdbcUrl, String username, String password) {
    private static final Pattern URL = Pattern.compile("jdbc:postgresql://([^/?]+)/([^?]*)(\\?.*)?");
    private static final Pattern NAME = Pattern.compile("[a-z_][a-z0-9_]{0,62}");

    public PostgresDatabase {
        if (!URL.matcher(jdbcUrl).matches())
            throw new IllegalArgumentException("not a PostgreSQL JDBC URL (jdbc:postgresql://HOST:PORT/DATABASE): " + jdbcUrl);
    }

    /** The server that {@code scripts/setup.sh} prepares: 127.0.0.1:5432, role and database {@code seggateway}. */
    public static PostgresDatabase setupDefault() {
        return new PostgresDatabase("jdbc:postgresql://127.0.0.1:5432/seggateway", "seggateway", "seggateway");
    }

    public String databaseName() {
        var m = URL.matcher(jdbcUrl);
        m.matches();
        return m.group(2);
    }

    /** The same server and login, another database. */
    public PostgresDatabase withDatabase(String name) {
        var m = URL.matcher(jdbcUrl);
        m.matches();
        return new PostgresDatabase("jdbc:postgresql://" + m.group(1) + "/" + checkedName(name)
                + (m.group(3) == null ? "" : m.group(3)), username, password);
    }

    public Connection connect() throws SQLException {
        Properties p = new Properties();
        p.setProperty("user", username);
        p.setProperty("password", password);
        p.setProperty("connectTimeout", "3");
        p.setProperty("socketTimeout", "30");
        return DriverManager.getConnection(jdbcUrl, p);
    }

    /** Empty when a session can be opened, else why not (server down, login refused, no such database). */
    public Optional<String> problem() {
        try (Connection c = connect(); Statement s = c.createStatement()) {
            s.execute("select 1");
            return Optional.empty();
        } catch (SQLException e) {
            return Optional.of(e.getMessage());
        }
    }

    public void createDatabase(String name) throws SQLException {
        try (Connection c = connect(); Statement s = c.createStatement()) {
            s.execute("create database " + checkedName(name));
        }
    }

    public void dropDatabase(String name) throws SQLException {
        try (Connection c = connect(); Statement s = c.createStatement()) {
            s.execute("drop database if exists " + checkedName(name) + " with (force)");
        }
    }

    /** The password stays out of logs and messages. */
    @Override
    public String toString() {
        return username + "@" + jdbcUrl;
    }

    private static String checkedName(String name) {
        if (!NAME.matcher(name).matches())
            throw new IllegalArgumentException("database name must be lower-case letters, digits and '_': " + name);
        return name;
    }
}
