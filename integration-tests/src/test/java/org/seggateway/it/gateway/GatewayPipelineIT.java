package org.seggateway.it.gateway;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.seggateway.dicomio.seg.LabelMap;
import org.seggateway.dicomio.synthetic.SyntheticSeries;
import org.seggateway.gateway.completion.SeriesCompletion;
import org.seggateway.dicomio.net.ReceivedInstance;
import org.seggateway.gateway.ingest.InstanceStore;
import org.seggateway.inference.worker.InferenceWorker;
import org.seggateway.inference.worker.JobRunner;
import org.seggateway.inference.worker.WorkerSettings;

/**
 * The gateway's queue path end to end on a real broker and PostgreSQL: a CT series stored and completed
 * goes to seg.jobs, a real worker (threshold in place of a model) answers on seg.results, and the gateway
 * stores a SEG that dciodvfy accepts, with its result row and a pending delivery. While the worker holds the job,
 * its start (a {@code started} record on seg.results) has made the job 'running' in the database and the API.
 */
@QuarkusTest
@QuarkusTestResource(value = KafkaBrokerResource.class, restrictToAnnotatedClass = true)
class GatewayPipelineIT {
    /** Liver (110 HU) and lesion (200 HU) of the synthetic phantom. */
    static final JobRunner THRESHOLD = (job, volume, seconds) -> {
        long start = System.nanoTime();
        byte[] labels = new byte[(int) volume.geometry().voxelCount()];
        for (int i = 0; i < labels.length; i++) labels[i] = (byte) (volume.value(i) > 150 ? 2 : volume.value(i) > 80 ? 1 : 0);
        seconds.put("inference", (System.nanoTime() - start) / 1e9);
        var g = volume.geometry();
        return new LabelMap(g.width(), g.height(), g.depth(), labels);
    };

    @Inject
    InstanceStore store;
    @Inject
    SeriesCompletion completion;
    @Inject
    DataSource dataSource;
    @TempDir
    Path incoming;

    @Test
    void aStoredSeriesComesBackAsAValidSegWithAResultAndAPendingDelivery() throws Exception {
        SyntheticSeries.Written ct = SyntheticSeries.ct().size(128, 128, 60).spacing(1.5, 1.5, 2.5).noise(5, 7)
                .write(incoming.resolve("ct"));
        for (Path f : ct.files()) store.store(new ReceivedInstance(f, null, null, "1.2.840.10008.1.2.1", "CT1", new InetSocketAddress("127.0.0.1", 4000), 1));
        assertThat(completion.completeQuietSeries(Instant.now().plusSeconds(60))).isGreaterThanOrEqualTo(1);

        CountDownLatch release = new CountDownLatch(1);
        JobRunner heldThreshold = (header, volume, seconds) -> {
            if (!release.await(120, TimeUnit.SECONDS)) throw new IllegalStateException("test never released the job");
            return THRESHOLD.run(header, volume, seconds);
        };
        try (InferenceWorker worker = new InferenceWorker(WorkerSettings.defaults(KafkaBrokerResource.bootstrapServers(), "it-w1"), heldThreshold)) {
            Thread thread = Thread.ofPlatform().name("it-worker").start(worker);
            String running = awaitJobState(ct.seriesInstanceUid(), "running", Duration.ofSeconds(120));
            given().auth().preemptive().basic("viewer", "test-viewer").get("/api/jobs/" + running).then().statusCode(200)
                    .body("state", equalTo("running")).body("timings.started", notNullValue()).body("timings.finished", nullValue());
            release.countDown();
            String job = awaitJobState(ct.seriesInstanceUid(), "done", Duration.ofSeconds(120));
            assertThat(job).isEqualTo(running);
            worker.close();
            thread.join(10_000);

            String segPath = query("select r.seg_path from results r where r.job_id = ?::uuid", job);
            assertThat(Path.of(segPath)).exists();
            assertThat(query("select count(*) from results where job_id = ?::uuid", job)).isEqualTo("1");
            assertThat(query("""
                    select string_agg(d.destination || ' ' || d.state, ',') from deliveries d join results r on r.id = d.result_id
                    where r.job_id = ?::uuid""", job)).isEqualTo("test-pacs pending");
            assertThat(query("select model_name || ' ' || model_version || ' ' || attempts from jobs where id = ?::uuid", job))
                    .isEqualTo("test-threshold 1.2.0 1");
            assertThat(query("select queued_at < started_at and started_at < finished_at from jobs where id = ?::uuid", job)).isEqualTo("t");
            assertThat(query("""
                    select string_agg(outcome || ' ' || (details->>'worker') || ' ' || (details->>'attempt'), ',')
                    from audit_events where event_type = 'job.started' and details->>'jobId' = ?""", job)).isEqualTo("started it-w1 1");
            assertThat(query("select (stage_seconds->>'inference') is not null and (stage_seconds->>'segBuild') is not null"
                    + " from jobs where id = ?::uuid", job)).isEqualTo("t");

            assertThat(run("dciodvfy", segPath).lines().filter(l -> l.startsWith("Error")).toList()).isEmpty();
            Set<String> referenced = referencedInstances(run("dcmdump", "+P", "0008,1155", segPath));
            assertThat(referenced).isNotEmpty();
            assertThat(ct.sopInstanceUids()).containsAll(referenced);

            given().auth().preemptive().basic("viewer", "test-viewer").get("/api/jobs/" + job).then().statusCode(200).body("state", equalTo("done"))
                    .body("deliveries[0].destination", equalTo("test-pacs"));
            given().get("/q/health/ready").then().statusCode(200).body("checks.find { it.name == 'kafka' }.status", equalTo("UP"));
        }
    }

    private String awaitJobState(String seriesUid, String state, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        String last = null;
        while (System.nanoTime() < deadline) {
            try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement("""
                    select j.id::text, j.state, j.reason from jobs j join series s on s.id = j.series_id
                    where s.series_instance_uid = ?""")) {
                s.setString(1, seriesUid);
                try (ResultSet rs = s.executeQuery()) {
                    if (rs.next()) {
                        last = rs.getString(2) + " " + rs.getString(3);
                        if (rs.getString(2).equals(state)) return rs.getString(1);
                        if (rs.getString(2).equals("failed")) throw new AssertionError("job failed: " + rs.getString(3));
                    }
                }
            }
            Thread.sleep(250);
        }
        throw new AssertionError("job of series " + seriesUid + " not " + state + " within " + timeout + "; last: " + last);
    }

    private String query(String sql, String jobId) throws Exception {
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(sql)) {
            s.setString(1, jobId);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }

    private static Set<String> referencedInstances(String dump) {
        Set<String> uids = new HashSet<>();
        Matcher m = Pattern.compile("\\(0008,1155\\) UI \\[([0-9.]+)\\]").matcher(dump);
        while (m.find()) uids.add(m.group(1));
        return uids;
    }

    private static String run(String... command) throws Exception {
        Process p = new ProcessBuilder(List.of(command)).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("%s finished", List.of(command)).isTrue();
        return out;
    }
}
