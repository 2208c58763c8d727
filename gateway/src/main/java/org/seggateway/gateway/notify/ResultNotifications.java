package org.seggateway.gateway.notify;

import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.URI;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.seggateway.gateway.config.GatewayConfig;

/**
 * Writes the HL7 and FHIR result messages of a result when its first delivery becomes delivered (the SEG is in a PACS,
 * so what the message points at can be opened): one {@code notifications} row per configured HL7 receiver and FHIR
 * server, in the delivery's transaction, at most one per result and receiver whatever the number of its deliveries
 * (a reprocessed study has a new result, so a new message). {@link NotificationSender} sends them like the webhooks.
 * Checked at start: each FHIR server's URL is http(s) with a host.
 */
@ApplicationScoped
@Startup
public class ResultNotifications {
    /** The receivers by channel and name (sorted, so that rows are written in a stable order). */
    private final Map<String, NotificationChannel> receivers = new TreeMap<>();
    private final NotificationRepository repository;

    ResultNotifications(NotificationRepository repository, GatewayConfig config) {
        this.repository = repository;
        config.hl7().keySet().forEach(name -> receivers.put("hl7/" + name, NotificationChannel.HL7));
        config.fhir().forEach((name, server) -> {
            checkUrl("seg-gateway.fhir." + name + ".url", server.url());
            receivers.put("fhir/" + name, NotificationChannel.FHIR);
        });
    }

    static void checkUrl(String key, URI url) {
        String scheme = url.getScheme();
        if (!"http".equalsIgnoreCase(scheme) && !"https".equalsIgnoreCase(scheme) || url.getHost() == null)
            throw new IllegalArgumentException(key + " must be an http or https URL with a host");
    }

    public boolean any() {
        return !receivers.isEmpty();
    }

    /**
     * Records the result messages of the result of delivery {@code deliveryId}, just recorded delivered at {@code at},
     * within the caller's transaction; nothing for a result already told. Returns how many rows were written.
     */
    public int resultDelivered(Handle h, long deliveryId, Instant at) {
        if (receivers.isEmpty()) return 0;
        if (!h.isInTransaction()) throw new IllegalStateException("result messages need the delivery's transaction");
        ResultReport report = repository.resultReport(h, deliveryId, at)
                .orElseThrow(() -> new IllegalArgumentException("no delivery " + deliveryId));
        int written = 0;
        for (Map.Entry<String, NotificationChannel> receiver : receivers.entrySet()) {
            String name = receiver.getKey().substring(receiver.getKey().indexOf('/') + 1);
            if (repository.insertResultMessage(h, receiver.getValue(), name, deliveryId,
                    report.withEventId(UUID.randomUUID().toString()), at)) written++;
        }
        return written;
    }
}
