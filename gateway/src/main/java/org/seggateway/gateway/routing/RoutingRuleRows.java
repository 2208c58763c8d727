package org.seggateway.gateway.routing;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.math.BigDecimal;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Handle;

/** Reads and writes the rows of {@code routing_rules} within the caller's handle. */
final class RoutingRuleRows {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<List<String>> STRINGS = new TypeReference<>() {};
    private static final String COLUMNS = """
            name, priority, enabled, extract(epoch from quiet_time) as quiet_seconds, match::text as match, models::text as models,
            destinations::text as destinations, measurement_report, changed_by,
            to_char(updated_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as updated_at""";

    private RoutingRuleRows() {}

    static List<RouteView> all(Handle h) {
        return h.createQuery("select " + COLUMNS + " from routing_rules order by name").map((rs, ctx) -> view(rs)).list();
    }

    /** The rule named, its row locked until the transaction ends. */
    static Optional<RouteView> lock(Handle h, String name) {
        return h.createQuery("select " + COLUMNS + " from routing_rules where name = :name for update").bind("name", name)
                .map((rs, ctx) -> view(rs)).findOne();
    }

    /** Creates or replaces the rule; returns it as stored. */
    static RouteView put(Handle h, RouteView rule, String changedBy) {
        return h.createQuery("""
                        insert into routing_rules (name, priority, enabled, quiet_time, match, models, destinations, measurement_report, changed_by)
                        values (:name, :priority, :enabled, make_interval(secs => :quietSeconds), :match::jsonb, :models::jsonb,
                                :destinations::jsonb, :measurementReport, :changedBy)
                        on conflict (name) do update set priority = excluded.priority, enabled = excluded.enabled,
                            quiet_time = excluded.quiet_time, match = excluded.match, models = excluded.models,
                            destinations = excluded.destinations,
                            measurement_report = excluded.measurement_report, changed_by = excluded.changed_by, updated_at = now()
                        returning\s""" + COLUMNS)
                .bind("name", rule.name())
                .bind("priority", rule.priority())
                .bind("enabled", rule.enabled())
                .bind("quietSeconds", seconds(Duration.parse(rule.quietTime())))
                .bind("match", json(rule.match()))
                .bind("models", json(rule.models()))
                .bind("destinations", json(rule.destinations()))
                .bind("measurementReport", rule.measurementReport())
                .bind("changedBy", changedBy)
                .map((rs, ctx) -> view(rs)).one();
    }

    static boolean delete(Handle h, String name) {
        return h.createUpdate("delete from routing_rules where name = :name").bind("name", name).execute() == 1;
    }

    private static RouteView view(ResultSet rs) throws SQLException {
        try {
            BigDecimal seconds = rs.getBigDecimal("quiet_seconds");
            Duration quiet = Duration.ofNanos(seconds.movePointRight(9).longValue());
            return new RouteView(rs.getString("name"), RouteSource.DATABASE, rs.getBoolean("enabled"), rs.getInt("priority"),
                    quiet.toString(), JSON.readValue(rs.getString("match"), RuleMatch.class),
                    JSON.readValue(rs.getString("models"), STRINGS), JSON.readValue(rs.getString("destinations"), STRINGS),
                    rs.getBoolean("measurement_report"), rs.getString("changed_by"), rs.getString("updated_at"));
        } catch (JsonProcessingException e) {
            throw new SQLException("routing rule '" + rs.getString("name") + "' holds unreadable JSON: " + e.getOriginalMessage(), e);
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
