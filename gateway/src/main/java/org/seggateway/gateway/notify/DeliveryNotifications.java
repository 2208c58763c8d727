package org.seggateway.gateway.notify;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import org.seggateway.gateway.config.GatewayConfig;
import org.seggateway.gateway.egress.DeliveryState;

/**
 * Writes the webhook notifications of a delivery's outcome: when a delivery becomes delivered or failed, one
 * {@code notifications} row per configured webhook that takes that event, in the caller's transaction (the one that
 * changes the delivery), so that an outcome is never recorded without its notifications or the other way round.
 * {@link NotificationSender} sends them.
 *
 * <p>The body carries the worklist keys a RIS needs to match the result (accession number, study and series UIDs),
 * the SEG's UIDs, the result version, the model, the destination and the delivery's state; never patient name or ID.
 * Checked at start: each webhook's URL is http(s) with a host, its events are known.
 */
@ApplicationScoped
@Startup
public class DeliveryNotifications {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The webhooks by name (sorted, so rows are written in a stable order) with the events each takes. */
    private final Map<String, Set<NotificationEvent>> subscriptions = new TreeMap<>();

    DeliveryNotifications(GatewayConfig config) {
        config.webhooks().forEach((name, webhook) -> {
            String scheme = webhook.url().getScheme();
            if (!"http".equalsIgnoreCase(scheme) && !"https".equalsIgnoreCase(scheme) || webhook.url().getHost() == null)
                throw new IllegalArgumentException("seg-gateway.webhooks." + name + ".url must be an http or https URL with a host");
            Set<NotificationEvent> events = EnumSet.noneOf(NotificationEvent.class);
            for (String event : webhook.events()) {
                try {
                    events.add(NotificationEvent.ofConfigName(event));
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("seg-gateway.webhooks." + name + ".events: " + e.getMessage(), e);
                }
            }
            subscriptions.put(name, events);
        });
    }

    /**
     * Records the notifications of delivery {@code deliveryId}, which changed to {@code state} at {@code at}, within
     * the caller's transaction ({@code c} not in auto-commit, the delivery row already updated). Nothing for pending.
     * Returns how many rows were written.
     */
    public int deliveryChanged(Connection c, long deliveryId, DeliveryState state, Instant at) throws SQLException {
        if (c.getAutoCommit()) throw new IllegalStateException("notifications need the delivery's transaction (auto-commit is on)");
        NotificationEvent event = NotificationEvent.of(state).orElse(null);
        if (event == null) return 0;
        List<String> webhooks = subscriptions.entrySet().stream().filter(e -> e.getValue().contains(event)).map(Map.Entry::getKey)
                .toList();
        if (webhooks.isEmpty()) return 0;
        UUID eventId = UUID.randomUUID();
        Map<String, Object> body = body(c, deliveryId, event, eventId, at);
        String json;
        try {
            json = JSON.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("notification body of delivery " + deliveryId, e);
        }
        try (PreparedStatement s = c.prepareStatement("""
                insert into notifications (webhook, event_type, event_id, delivery_id, study_instance_uid, body, created_at,
                                           next_attempt_at)
                values (?, ?, ?, ?, ?, ?::json, ?, ?)""")) {
            for (String webhook : webhooks) {
                s.setString(1, webhook);
                s.setString(2, event.type());
                s.setObject(3, eventId);
                s.setLong(4, deliveryId);
                s.setString(5, (String) body.get("studyInstanceUid"));
                s.setString(6, json);
                s.setTimestamp(7, Timestamp.from(at));
                s.setTimestamp(8, Timestamp.from(at));
                s.addBatch();
            }
            s.executeBatch();
        }
        return webhooks.size();
    }

    private static Map<String, Object> body(Connection c, long deliveryId, NotificationEvent event, UUID eventId, Instant at)
            throws SQLException {
        try (PreparedStatement s = c.prepareStatement("""
                select s.accession_number, s.study_instance_uid, s.series_instance_uid, r.seg_sop_instance_uid,
                       r.seg_series_instance_uid, r.version, j.model_name, j.model_version, j.id, d.destination, d.state,
                       d.attempts, d.last_error
                from deliveries d
                join results r on r.id = d.result_id
                join jobs j on j.id = r.job_id
                join series s on s.id = j.series_id
                where d.id = ?""")) {
            s.setLong(1, deliveryId);
            try (ResultSet rs = s.executeQuery()) {
                if (!rs.next()) throw new IllegalArgumentException("no delivery " + deliveryId);
                Map<String, Object> body = new LinkedHashMap<>();
                body.put("event", event.type());
                body.put("eventId", eventId.toString());
                body.put("time", at.toString());
                body.put("accessionNumber", rs.getString(1));
                body.put("studyInstanceUid", rs.getString(2));
                body.put("seriesInstanceUid", rs.getString(3));
                body.put("segSopInstanceUid", rs.getString(4));
                body.put("segSeriesInstanceUid", rs.getString(5));
                body.put("resultVersion", rs.getInt(6));
                Map<String, Object> model = new LinkedHashMap<>();
                model.put("name", rs.getString(7));
                model.put("version", rs.getString(8));
                body.put("model", model);
                body.put("jobId", rs.getObject(9).toString());
                body.put("destination", rs.getString(10));
                body.put("deliveryStatus", rs.getString(11));
                body.put("deliveryAttempts", rs.getInt(12));
                if (event == NotificationEvent.FAILED && rs.getString(13) != null) body.put("reason", rs.getString(13));
                return body;
            }
        }
    }
}
