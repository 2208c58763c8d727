package org.seggateway.gateway.completion;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.seggateway.dicomio.net.ReceivedInstance;
import org.seggateway.dicomio.synthetic.SyntheticSeries;
import org.seggateway.gateway.ingest.InstanceStore;

@QuarkusTest
class SeriesCompletionTest {
    @Inject
    InstanceStore store;
    @Inject
    SeriesCompletion completion;
    @Inject
    DataSource dataSource;
    @TempDir
    Path incoming;

    @Test
    void completesAfterTheQuietTimeAndReopensOnALateInstance() throws Exception {
        SyntheticSeries.Written ct = SyntheticSeries.ct().size(16, 16, 4).write(incoming.resolve("ct"));
        for (Path f : ct.files().subList(0, 3)) store.store(received(f));

        completion.completeQuietSeries(Instant.now());
        assertThat(jobs(ct.seriesInstanceUid())).as("still inside the quiet time").isEmpty();

        completion.completeQuietSeries(Instant.now().plusSeconds(3));
        assertThat(jobs(ct.seriesInstanceUid())).containsExactly("1 complete test-ct test-model");

        store.store(received(ct.files().get(3)));  // late instance: series reopened
        completion.completeQuietSeries(Instant.now().plusSeconds(3));
        assertThat(jobs(ct.seriesInstanceUid())).containsExactly("1 complete test-ct test-model", "2 complete test-ct test-model");
    }

    @Test
    void recordsSeriesNoRouteWantsAsSkippedWithTheReason() throws Exception {
        SyntheticSeries.Written mr = SyntheticSeries.mr().size(8, 8, 2).write(incoming.resolve("mr"));
        for (Path f : mr.files()) store.store(received(f));
        completion.completeQuietSeries(Instant.now().plusSeconds(60));
        assertThat(jobs(mr.seriesInstanceUid())).singleElement().asString().startsWith("1 skipped null null");
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(
                "select j.reason from jobs j join series s on s.id = j.series_id where s.series_instance_uid = ?")) {
            s.setString(1, mr.seriesInstanceUid());
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                assertThat(rs.getString(1)).contains("no route matches", "MR");
            }
        }
    }

    private List<String> jobs(String seriesUid) throws Exception {
        List<String> rows = new ArrayList<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement("""
                select j.series_version, j.state, j.route_name, j.model_package from jobs j join series s on s.id = j.series_id
                where s.series_instance_uid = ? order by j.series_version, j.created_at""")) {
            s.setString(1, seriesUid);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) rows.add(rs.getInt(1) + " " + rs.getString(2) + " " + rs.getString(3) + " " + rs.getString(4));
            }
        }
        return rows;
    }

    private static ReceivedInstance received(Path file) {
        return new ReceivedInstance(file, null, null, "1.2.840.10008.1.2.1", "CT1",
                new java.net.InetSocketAddress("127.0.0.1", 4000), 1);
    }
}
