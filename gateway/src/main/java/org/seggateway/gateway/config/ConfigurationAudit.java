package org.seggateway.gateway.config;

import static org.seggateway.gateway.config.ConfigurationAuditLog.LOG;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.IOException;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.jdbi.v3.core.Handle;
import org.seggateway.gateway.audit.AuditEvent;
import org.seggateway.gateway.audit.AuditTrail;
import org.seggateway.gateway.database.Transactions;

/**
 * At every start, appends {@code config.loaded} with the {@link ConfigFingerprint} of the routes, destinations and
 * webhooks in effect, and, when its SHA-256 differs from that of the previous {@code config.loaded}, also
 * {@code config.changed} naming the entries added, removed and changed. Both in one transaction; a start whose
 * configuration cannot be recorded fails.
 */
@ApplicationScoped
public class ConfigurationAudit {
    public static final String LOADED = "config.loaded", CHANGED = "config.changed";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Transactions transactions;
    private final AuditTrail trail;
    private final GatewayConfig config;

    ConfigurationAudit(Transactions transactions, AuditTrail trail, GatewayConfig config) {
        this.transactions = transactions;
        this.trail = trail;
        this.config = config;
    }

    void onStart(@Observes StartupEvent event) {
        record(ConfigFingerprint.of(config));
    }

    /** Records {@code now} as the configuration loaded; returns the changes since the previous one (empty if none). */
    public Map<String, Map<String, List<String>>> record(ConfigFingerprint now) {
        Recorded recorded = transactions.inTransaction(h -> {
            Optional<ConfigFingerprint> previous = previous(h);
            Map<String, Object> loaded = new LinkedHashMap<>();
            loaded.put("sha256", now.sha256());
            loaded.putAll(now.items());
            trail.append(h, new AuditEvent(LOADED, "seg-gateway", null, null, "loaded", loaded));
            Map<String, Map<String, List<String>>> changes = Map.of();
            if (previous.isPresent() && !previous.get().sha256().equals(now.sha256())) {
                changes = now.changesSince(previous.get());
                Map<String, Object> changed = new LinkedHashMap<>();
                changed.put("previousSha256", previous.get().sha256());
                changed.put("sha256", now.sha256());
                changed.putAll(changes);
                trail.append(h, new AuditEvent(CHANGED, "seg-gateway", null, null, "changed", changed));
            }
            return new Recorded(previous, changes);
        });
        if (recorded.changes().isEmpty()) LOG.recorded(now.sha256());
        else LOG.recordedChanged(now.sha256(), recorded.previous().orElseThrow().sha256(), recorded.changes());
        return recorded.changes();
    }

    private record Recorded(Optional<ConfigFingerprint> previous, Map<String, Map<String, List<String>>> changes) {
    }

    private static Optional<ConfigFingerprint> previous(Handle h) {
        return h.createQuery("select details::text as details from audit_events where event_type = :type order by id desc limit 1")
                .bind("type", LOADED)
                .map((rs, ctx) -> fingerprint(rs.getString("details")))
                .findOne();
    }

    private static ConfigFingerprint fingerprint(String loadedDetails) throws SQLException {
        try {
            JsonNode details = JSON.readTree(loadedDetails);
            Map<String, Map<String, String>> items = new TreeMap<>();
            for (String section : ConfigFingerprint.SECTIONS) {
                Map<String, String> entries = new TreeMap<>();
                details.path(section).properties().forEach(e -> entries.put(e.getKey(), e.getValue().asText()));
                items.put(section, entries);
            }
            return new ConfigFingerprint(items);
        } catch (IOException e) {
            throw new SQLException("the previous " + LOADED + " row's details are not JSON", e);
        }
    }
}
