package org.seggateway.gateway.config;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.seggateway.audit.AuditChain;

@QuarkusTest
class ConfigurationAuditTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    ConfigurationAudit audit;
    @Inject
    GatewayConfig config;
    @Inject
    DataSource dataSource;

    /** One row of the trail: its type and details. */
    record Row(long id, String type, JsonNode details) {}

    @Test
    void theStartRecordsTheConfigurationInEffect() throws Exception {
        // the test database is emptied at start: the first config.loaded is this start's
        Row first = rows(0).stream().filter(r -> r.type().equals(ConfigurationAudit.LOADED)).findFirst().orElseThrow();
        ConfigFingerprint running = ConfigFingerprint.of(config);
        assertThat(first.details().path("sha256").asText()).isEqualTo(running.sha256());
        assertThat(first.details().path("routes").path("test-ct").asText()).isEqualTo(running.items().get("routes").get("test-ct"));
        assertThat(first.details().path("destinations").has("test-pacs")).isTrue();
    }

    @Test
    void aDifferentConfigurationIsRecordedAsChangedNamingWhatChanged() throws Exception {
        ConfigFingerprint running = ConfigFingerprint.of(config);
        audit.record(running);
        long before = lastId();
        Map<String, Map<String, String>> items = new TreeMap<>();
        running.items().forEach((section, entries) -> items.put(section, new HashMap<>(entries)));
        items.get("routes").remove("test-ct");
        items.get("routes").put("chest-ct", "1".repeat(64));
        items.get("destinations").put("test-pacs", "2".repeat(64));
        items.get("webhooks").put("ris", "3".repeat(64));
        ConfigFingerprint changed = new ConfigFingerprint(items);

        audit.record(changed);

        List<Row> rows = rows(before);
        assertThat(rows).extracting(Row::type).containsExactly(ConfigurationAudit.LOADED, ConfigurationAudit.CHANGED);
        assertThat(rows.get(0).details().path("sha256").asText()).isEqualTo(changed.sha256());
        JsonNode what = rows.get(1).details();
        assertThat(what.path("previousSha256").asText()).isEqualTo(running.sha256());
        assertThat(what.path("sha256").asText()).isEqualTo(changed.sha256());
        assertThat(JSON.treeToValue(what.path("routes"), Map.class)).isEqualTo(Map.of(
                "added", List.of("chest-ct"), "removed", List.of("test-ct"), "changed", List.of()));
        assertThat(what.path("destinations").path("changed").toString()).isEqualTo("[\"test-pacs\"]");
        assertThat(what.path("webhooks").path("added").toString()).isEqualTo("[\"ris\"]");

        long again = lastId();
        assertThat(audit.record(changed)).as("the same again").isEmpty();
        assertThat(rows(again)).extracting(Row::type).containsExactly(ConfigurationAudit.LOADED);
        try (Connection c = dataSource.getConnection()) {
            assertThat(AuditChain.firstBrokenRow(c)).isEmpty();
        }
    }

    private long lastId() throws Exception {
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement("select coalesce(max(id), 0) from audit_events");
             ResultSet rs = s.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** The config.* rows after row {@code afterId}, in order. */
    private List<Row> rows(long afterId) throws Exception {
        List<Row> out = new ArrayList<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(
                "select id, event_type, details::text from audit_events where event_type like 'config.%' and id > ? order by id")) {
            s.setLong(1, afterId);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) out.add(new Row(rs.getLong(1), rs.getString(2), JSON.readTree(rs.getString(3))));
            }
        }
        return out;
    }
}
