package org.seggateway.gateway.routing;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Reads and writes the rows of {@code routing_rules} within the caller's connection. */
final class RoutingRuleRows {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<List<String>> STRINGS = new TypeReference<>() {};
    private static final String COLUMNS = """
            name, priority, enabled, extract(epoch from quiet_time), match::text, models::text, destinations::text, changed_by,
            to_char(updated_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')""";

    private RoutingRuleRows() {}

    static List<RouteView> all(Connection c) throws SQLException {
        List<RouteView> rules = new ArrayList<>();
        try (PreparedStatement s = c.prepareStatement("select " + COLUMNS + " from routing_rules order by name");
             ResultSet rs = s.executeQuery()) {
            while (rs.next()) rules.add(view(rs));
        }
        return rules;
    }

    /** The rule named, its row locked until the transaction ends. */
    static Optional<RouteView> lock(Connection c, String name) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("select " + COLUMNS + " from routing_rules where name = ? for update")) {
            s.setString(1, name);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() ? Optional.of(view(rs)) : Optional.empty();
            }
        }
    }

    /** Creates or replaces the rule; returns it as stored. */
    static RouteView put(Connection c, RouteView rule, String changedBy) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("""
                insert into routing_rules (name, priority, enabled, quiet_time, match, models, destinations, changed_by)
                values (?, ?, ?, make_interval(secs => ?), ?::jsonb, ?::jsonb, ?::jsonb, ?)
                on conflict (name) do update set priority = excluded.priority, enabled = excluded.enabled,
                    quiet_time = excluded.quiet_time, match = excluded.match, models = excluded.models,
                    destinations = excluded.destinations, changed_by = excluded.changed_by, updated_at = now()
                returning\s""" + COLUMNS)) {
            s.setString(1, rule.name());
            s.setInt(2, rule.priority());
            s.setBoolean(3, rule.enabled());
            s.setBigDecimal(4, seconds(Duration.parse(rule.quietTime())));
            s.setString(5, json(rule.match()));
            s.setString(6, json(rule.models()));
            s.setString(7, json(rule.destinations()));
            s.setString(8, changedBy);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return view(rs);
            }
        }
    }

    static boolean delete(Connection c, String name) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("delete from routing_rules where name = ?")) {
            s.setString(1, name);
            return s.executeUpdate() == 1;
        }
    }

    private static RouteView view(ResultSet rs) throws SQLException {
        try {
            BigDecimal seconds = rs.getBigDecimal(4);
            Duration quiet = Duration.ofNanos(seconds.movePointRight(9).longValue());
            return new RouteView(rs.getString(1), RouteSource.DATABASE, rs.getBoolean(3), rs.getInt(2), quiet.toString(),
                    JSON.readValue(rs.getString(5), RuleMatch.class), JSON.readValue(rs.getString(6), STRINGS),
                    JSON.readValue(rs.getString(7), STRINGS), rs.getString(8), rs.getString(9));
        } catch (JsonProcessingException e) {
            throw new SQLException("routing rule '" + rs.getString(1) + "' holds unreadable JSON: " + e.getOriginalMessage(), e);
        }
    }

    private static BigDecimal seconds(Duration d) {
        return BigDecimal.valueOf(d.getSeconds()).add(BigDecimal.valueOf(d.getNano(), 9));
    }

    private static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        }
    }
}
