package org.seggateway.gateway.notify;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.seggateway.gateway.config.GatewayConfig;
import org.seggateway.gateway.egress.DeliveryState;
import org.seggateway.gateway.results.SegmentMeasurement;

/**
 * Writes the webhook notifications of a delivery's outcome: when a delivery becomes delivered or failed, one
 * {@code notifications} row per configured webhook that takes that event, in the caller's transaction (the one that
 * changes the delivery), so that an outcome is never recorded without its notifications or the other way round.
 * {@link NotificationSender} sends them. A delivered outcome also writes the result's HL7/FHIR messages
 * ({@link ResultNotifications}).
 *
 * <p>The body carries the worklist keys a RIS needs to match the result (accession number, study and series UIDs),
 * the SEG's UIDs, the result version, the model, the destination and the delivery's state, and the measurement report's
 * UID and each segment's volume and mean where the result has them; never patient name or ID.
 * Checked at start: each webhook's URL is http(s) with a host, its events are known.
 */
@ApplicationScoped
@Startup
public class DeliveryNotifications {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The webhooks by name (sorted, so rows are written in a stable order) with the events each takes. */
    private final Map<String, Set<NotificationEvent>> subscriptions = new TreeMap<>();
    private final NotificationRepository repository;
    private final ResultNotifications resultMessages;

    DeliveryNotifications(NotificationRepository repository, ResultNotifications resultMessages, GatewayConfig config) {
        this.repository = repository;
        this.resultMessages = resultMessages;
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
     * the caller's transaction (the delivery row already updated), and for delivered the result messages. Nothing for pending. Returns how many rows
     * were written.
     */
    public int deliveryChanged(Handle h, long deliveryId, DeliveryState state, Instant at) {
        if (!h.isInTransaction()) throw new IllegalStateException("notifications need the delivery's transaction");
        NotificationEvent event = NotificationEvent.of(state).orElse(null);
        if (event == null) return 0;
        int resultRows = event == NotificationEvent.DELIVERED ? resultMessages.resultDelivered(h, deliveryId, at) : 0;
        List<String> webhooks = subscriptions.entrySet().stream().filter(e -> e.getValue().contains(event)).map(Map.Entry::getKey)
                .toList();
        if (webhooks.isEmpty()) return resultRows;
        UUID eventId = UUID.randomUUID();
        NotificationRepository.DeliveryFacts facts = repository.deliveryFacts(h, deliveryId)
                .orElseThrow(() -> new IllegalArgumentException("no delivery " + deliveryId));
        String json;
        try {
            json = JSON.writeValueAsString(body(facts, event, eventId, at));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("notification body of delivery " + deliveryId, e);
        }
        repository.insert(h, webhooks, event, eventId, deliveryId, facts.studyInstanceUid(), json, at);
        return webhooks.size() + resultRows;
    }

    /** A segment's measurements in a body: what a RIS shows; the API has them all. */
    private static Map<String, Object> measurement(SegmentMeasurement m) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("labelValue", m.labelValue());
        out.put("label", m.label());
        out.put("type", m.type());
        out.put("voxelCount", m.voxelCount());
        out.put("volumeMl", m.volumeMl());
        if (m.mean() != null) out.put("mean", m.mean());
        if (m.units() != null) out.put("units", m.units());
        if (m.laterality() != null) out.put("laterality", m.laterality());
        return out;
    }

    private static Map<String, Object> body(NotificationRepository.DeliveryFacts facts, NotificationEvent event, UUID eventId,
                                            Instant at) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("event", event.type());
        body.put("eventId", eventId.toString());
        body.put("time", at.toString());
        body.put("accessionNumber", facts.accessionNumber());
        body.put("studyInstanceUid", facts.studyInstanceUid());
        body.put("seriesInstanceUid", facts.seriesInstanceUid());
        body.put("segSopInstanceUid", facts.segSopInstanceUid());
        body.put("segSeriesInstanceUid", facts.segSeriesInstanceUid());
        body.put("resultVersion", facts.resultVersion());
        if (facts.srSopInstanceUid() != null) body.put("srSopInstanceUid", facts.srSopInstanceUid());
        if (facts.measurements() != null)
            body.put("measurements", facts.measurements().stream().map(DeliveryNotifications::measurement).toList());
        Map<String, Object> model = new LinkedHashMap<>();
        model.put("name", facts.modelName());
        model.put("version", facts.modelVersion());
        body.put("model", model);
        body.put("jobId", facts.jobId().toString());
        body.put("destination", facts.destination());
        body.put("deliveryStatus", facts.deliveryState());
        body.put("deliveryAttempts", facts.deliveryAttempts());
        if (event == NotificationEvent.FAILED && facts.lastError() != null) body.put("reason", facts.lastError());
        return body;
    }
}
