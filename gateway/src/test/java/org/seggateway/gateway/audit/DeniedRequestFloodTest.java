package org.seggateway.gateway.audit;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.seggateway.dicomio.net.ReceivedInstance;
import org.seggateway.dicomio.synthetic.SyntheticSeries;
import org.seggateway.gateway.ingest.InstanceStore;
import org.seggateway.gateway.ingest.StoreOutcome;

/**
 * A flood of denied API requests (no credentials, wrong passwords, from many threads) while instances are stored: each
 * request is counted, but the audit trail gets a few aggregated api.denied rows (one per group and flush), and every
 * instance is stored meanwhile.
 */
@QuarkusTest
class DeniedRequestFloodTest {
    static final int REQUESTS = 2000;

    @Inject
    DataSource dataSource;
    @Inject
    InstanceStore store;
    @Inject
    ApiDeniedAudit deniedAudit;
    @TestHTTPResource("/")
    URI base;
    @TempDir
    Path incoming;

    @Test
    void aFloodOfDeniedRequestsAddsAFewCountedRowsAndStoresGoOn() throws Exception {
        deniedAudit.flush();
        long before = Long.parseLong(value("select coalesce(max(id), 0) from audit_events"));
        String marker = UUID.randomUUID().toString();
        SyntheticSeries.Written series = SyntheticSeries.ct().size(32, 32, 40).write(incoming.resolve("ct"));

        HttpClient http = HttpClient.newHttpClient();
        AtomicInteger answered401 = new AtomicInteger();
        long floodStart = System.nanoTime();
        List<Long> storeMillis = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(16)) {
            List<Future<?>> flood = new ArrayList<>();
            for (int i = 0; i < REQUESTS; i++) {
                int n = i;
                flood.add(pool.submit(() -> {
                    HttpRequest.Builder r = HttpRequest.newBuilder(base.resolve("/api/jobs/" + marker + "-" + n));
                    if (n % 2 == 1) r.header("Authorization", "Basic " + Base64.getEncoder().encodeToString(("viewer:wrong" + n).getBytes()));
                    if (http.send(r.build(), HttpResponse.BodyHandlers.discarding()).statusCode() == 401) answered401.incrementAndGet();
                    return null;
                }));
            }
            for (Path f : series.files()) {
                long t = System.nanoTime();
                assertThat(store.store(new ReceivedInstance(f, null, null, "1.2.840.10008.1.2.1", "CT1",
                        new InetSocketAddress("127.0.0.1", 4000), 1))).isEqualTo(StoreOutcome.STORED);
                storeMillis.add((System.nanoTime() - t) / 1_000_000);
            }
            for (Future<?> f : flood) f.get();
        }
        double floodSeconds = (System.nanoTime() - floodStart) / 1e9;
        deniedAudit.flush();

        assertThat(answered401.get()).isEqualTo(REQUESTS);
        long rows = Long.parseLong(value("select count(*) from audit_events where event_type = 'api.denied' and id > ?", before));
        long counted = Long.parseLong(value("select coalesce(sum((details->>'count')::bigint), 0) from audit_events"
                + " where event_type = 'api.denied' and id > ? and actor = 'anonymous' and details->>'section' = '/api/jobs'", before));
        System.out.printf("denied-request flood: %d requests in %.1f s, %d api.denied rows; %d stores meanwhile, slowest %d ms%n",
                REQUESTS, floodSeconds, rows, storeMillis.size(), storeMillis.stream().mapToLong(Long::longValue).max().orElse(0));
        assertThat(counted).isEqualTo(REQUESTS);
        // one row per group (here: anonymous, 127.0.0.1, 401, /api/jobs) and flush (every second in the tests)
        assertThat(rows).isLessThanOrEqualTo((long) Math.ceil(floodSeconds) + 2);
        assertThat(value("select string_agg(distinct outcome || ' ' || source_address || ' ' || (details->>'status'), ',')"
                + " from audit_events where event_type = 'api.denied' and id > ?", before)).isEqualTo("unauthorized 127.0.0.1 401");
        assertThat(Long.parseLong(value("select max(jsonb_array_length(details->'requests')) from audit_events"
                + " where event_type = 'api.denied' and id > ?", before))).isLessThanOrEqualTo(DeniedRequestTally.MAX_LISTED);
        assertThat(Long.parseLong(value("select count(*) from audit_events where event_type = 'dicom.store' and id > ?", before)))
                .isEqualTo(series.files().size());
    }

    @Test
    void groupsBeyondTheLimitAreCountedTogether() {
        DeniedRequestTally tally = new DeniedRequestTally(2);
        java.time.Instant now = java.time.Instant.now();
        for (int i = 0; i < 10; i++) tally.add(new DeniedRequestTally.Group("anonymous", "10.0.0." + i, 401, "/api/jobs"), "GET", "/api/jobs/" + i, now);
        List<AuditEvent> events = tally.drain();
        assertThat(events).extracting(e -> e.actor() + " " + e.address() + " " + e.details().get("count")).containsExactlyInAnyOrder(
                "anonymous 10.0.0.0 1", "anonymous 10.0.0.1 1", DeniedRequestTally.OTHERS + " null 8");
        assertThat(tally.drain()).isEmpty();
        assertThat(ApiDeniedAudit.section("/api/jobs/x")).isEqualTo("/api/jobs");
        assertThat(ApiDeniedAudit.section("/api")).isEqualTo("/api/other");
        assertThat(ApiDeniedAudit.section("/api/whatever-" + UUID.randomUUID())).isEqualTo("/api/other");
    }

    private String value(String sql, Object... parameters) throws Exception {
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) s.setObject(i + 1, parameters[i]);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getString(1);
            }
        }
    }
}
