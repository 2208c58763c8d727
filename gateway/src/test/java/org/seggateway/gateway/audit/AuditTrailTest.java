package org.seggateway.gateway.audit;

import org.seggateway.audit.AuditChain;
import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

@QuarkusTest
class AuditTrailTest {
    @Inject
    AuditTrail audit;
    @Inject
    DataSource dataSource;

    @Test
    void concurrentAppendsFormOneUnbrokenChain() throws Exception {
        List<Future<Long>> ids = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(6)) {
            for (int i = 0; i < 60; i++) {
                int n = i;
                ids.add(pool.submit(() -> audit.append(new AuditEvent("test.event", "tester-" + (n % 6), "10.0.0." + n,
                        "1.2.3." + n, "success", Map.of("n", n, "nested", Map.of("b", 2, "a", List.of("x", n)))))));
            }
        }
        List<Long> appended = new ArrayList<>();
        for (Future<Long> id : ids) appended.add(id.get());

        try (Connection c = dataSource.getConnection()) {
            assertThat(AuditChain.firstBrokenRow(c)).isEmpty();
            try (Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("select count(*), count(distinct previous_hash) from audit_events")) {
                rs.next();
                assertThat(rs.getLong(2)).as("no two rows share a predecessor (no fork)").isEqualTo(rs.getLong(1));
            }
            try (PreparedStatement s = c.prepareStatement("select details::text from audit_events where id = ?")) {
                s.setLong(1, appended.get(7));
                try (ResultSet rs = s.executeQuery()) {
                    rs.next();
                    assertThat(rs.getString(1)).contains("\"n\": 7");
                }
            }
        }
        assertThat(appended).doesNotHaveDuplicates().hasSize(60);
    }

    @Test
    void hashCoversEveryFieldAndTheDetailsInAnyKeyOrder() {
        java.time.Instant t = java.time.Instant.parse("2025-01-02T03:04:05.123456Z");
        String h = AuditChain.hash(AuditChain.GENESIS, t, "t", "a", "addr", "1.2", "ok", "{\"x\":1,\"y\":[1,{\"b\":1,\"a\":2}]}");
        assertThat(AuditChain.hash(AuditChain.GENESIS, t, "t", "a", "addr", "1.2", "ok", "{ \"y\": [1, {\"a\": 2, \"b\": 1}], \"x\": 1 }"))
                .isEqualTo(h);
        assertThat(h).hasSize(64).isNotEqualTo(AuditChain.hash("1".repeat(64), t, "t", "a", "addr", "1.2", "ok", "{\"x\":1,\"y\":[1,{\"b\":1,\"a\":2}]}"));
        assertThat(AuditChain.hash(AuditChain.GENESIS, t.plusNanos(1000), "t", "a", "addr", "1.2", "ok", "{\"x\":1,\"y\":[1,{\"b\":1,\"a\":2}]}")).isNotEqualTo(h);
        assertThat(AuditChain.hash(AuditChain.GENESIS, t, "t", "a", null, "1.2", "ok", "{\"x\":1,\"y\":[1,{\"b\":1,\"a\":2}]}")).isNotEqualTo(h);
        assertThat(AuditChain.hash(AuditChain.GENESIS, t, "t", "a", "addr", "1.2", "ok", "{\"x\":2,\"y\":[1,{\"b\":1,\"a\":2}]}")).isNotEqualTo(h);
    }
}
