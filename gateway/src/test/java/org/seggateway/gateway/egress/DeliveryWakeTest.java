package org.seggateway.gateway.egress;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.seggateway.dicomio.synthetic.SyntheticSeries;
import org.seggateway.dicomio.testing.Dcmtk;
import org.seggateway.dicomio.testing.PeerProcess;
import org.seggateway.gateway.NetworkTestProfile;
import org.seggateway.gateway.config.GatewayConfig;

/**
 * A result's deliveries go out when they are committed ({@link DeliveriesPending}), not at the delivery loop's next tick:
 * here the loop ticks once an hour (its first pass comes right after the start), and a pending delivery to a real DCMTK
 * storescp is delivered within seconds of the event and not before it.
 */
@QuarkusTest
@TestProfile(DeliveryWakeTest.HourlyLoop.class)
class DeliveryWakeTest {

    public static class HourlyLoop extends NetworkTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            Map<String, String> m = new HashMap<>(super.getConfigOverrides());
            m.put("seg-gateway.delivery.check-every", "1h");
            return m;
        }
    }

    @Inject
    Event<DeliveriesPending> pending;
    @Inject
    DataSource dataSource;
    @Inject
    GatewayConfig config;
    @TempDir
    Path dir;

    @Test
    void aPendingDeliveryGoesOutWhenAnnouncedNotAtTheNextTick() throws Exception {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            s.executeUpdate("delete from delivery_attempts");
            s.executeUpdate("delete from deliveries");
        }
        SyntheticSeries.Written seg = SyntheticSeries.ct().size(32, 32, 1).write(dir.resolve("seg"));
        int port = config.destinations().get("test-pacs").port().orElseThrow();
        Path received = Files.createDirectories(dir.resolve("pacs"));
        try (PeerProcess storescp = PeerProcess.start("storescp", List.of("storescp", "-aet", "TESTPACS", "-od",
                received.toString(), Integer.toString(port)), Dcmtk.NODELAY, dir.resolve("storescp.log"))) {
            storescp.awaitPort(port, Duration.ofSeconds(20));
            // due in 2 s, so that the scheduler's first pass, right after the start, does not take it
            long id = TestDeliveries.insert(dataSource, "test-pacs", Instant.now().plusSeconds(2), seg.files().getFirst());
            Thread.sleep(3000);
            assertThat(state(id)).as("due, but no pass before the announcement (the loop ticks hourly)").isEqualTo("pending");

            long announced = System.nanoTime();
            pending.fire(new DeliveriesPending(1));
            while (!state(id).equals("delivered") && System.nanoTime() - announced < 20_000_000_000L) Thread.sleep(50);

            assertThat(state(id)).isEqualTo("delivered");
            assertThat((System.nanoTime() - announced) / 1e9).as("seconds from announcement to delivered").isLessThan(20);
        }
        try (Stream<Path> files = Files.list(received)) {
            assertThat(files.toList()).singleElement()
                    .satisfies(f -> assertThat(f.getFileName().toString()).endsWith(seg.sopInstanceUids().getFirst()));
        }
    }

    private String state(long id) throws Exception {
        try (Connection c = dataSource.getConnection();
             PreparedStatement s = c.prepareStatement("select state from deliveries where id = ?")) {
            s.setLong(1, id);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getString(1);
            }
        }
    }
}
