package org.seggateway.migrations;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

/**
 * A fresh, empty database on the PostgreSQL server that scripts/setup.sh starts (127.0.0.1:5432, role
 * seggateway), dropped on close. SEG_GATEWAY_TEST_PG_URL / _USER / _PASSWORD point elsewhere.
 */
final class TestDatabase implements AutoCloseable {
    private static final String SERVER = env("SEG_GATEWAY_TEST_PG_URL", "jdbc:postgresql://127.0.0.1:5432/");
    private static final String USER = env("SEG_GATEWAY_TEST_PG_USER", "seggateway");
    private static final String PASSWORD = env("SEG_GATEWAY_TEST_PG_PASSWORD", "seggateway");

    final String name = "seggw_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);

    TestDatabase() throws SQLException {
        admin("create database " + name);
    }

    String url() {
        return SERVER + name;
    }

    String user() {
        return USER;
    }

    String password() {
        return PASSWORD;
    }

    Connection connect() throws SQLException {
        return DriverManager.getConnection(url(), USER, PASSWORD);
    }

    @Override
    public void close() throws SQLException {
        admin("drop database if exists " + name + " with (force)");
    }

    private static void admin(String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection(SERVER + "postgres", USER, PASSWORD);
             Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    private static String env(String key, String fallback) {
        String v = System.getenv(key);
        return v == null || v.isBlank() ? fallback : v;
    }
}
