package org.seggateway.it.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.seggateway.dicomio.net.ReceivedInstance;
import org.seggateway.dicomio.seg.LabelMap;
import org.seggateway.dicomio.synthetic.SyntheticSeries;
import org.seggateway.gateway.completion.SeriesCompletion;
import org.seggateway.gateway.ingest.InstanceStore;
import org.seggateway.gateway.queue.ResultKeys;
import org.seggateway.inference.queue.QueueRecords;
import org.seggateway.inference.queue.ResultHeader;
import org.seggateway.inference.queue.ResultSignature;
import org.seggateway.inference.queue.Topics;
import org.seggateway.inference.worker.InferenceWorker;
import org.seggateway.inference.worker.JobRunner;
import org.seggateway.inference.worker.WorkerSettings;

/**
 * On a real broker: while a real worker holds a job, records written straight to seg.results and seg.jobs.dlq for
 * that job (unsigned, signed with another key, signed with the job's key over another label map, a forged dead
 * letter, a job id that is not one) are each refused and audited as result.refused, and change nothing; the worker's
 * own result, signed with the key from its job header, then becomes the job's only SEG.
 */
@QuarkusTest
@QuarkusTestResource(value = KafkaBrokerResource.class, restrictToAnnotatedClass = true)
class ResultAuthenticationIT {
    @Inject
    InstanceStore store;
    @Inject
    SeriesCompletion completion;
    @Inject
    DataSource dataSource;
    @Inject
    ResultKeys keys;
    @TempDir
    Path incoming;

    @Test
    void forgedAndAlteredResultsAreRefusedAndAuditedAndTheWorkersResultLands() throws Exception {
        SyntheticSeries.Written ct = SyntheticSeries.ct().size(64, 64, 24).spacing(3, 3, 5).write(incoming.resolve("ct"));
        for (Path f : ct.files())
            store.store(new ReceivedInstance(f, null, null, "1.2.840.10008.1.2.1", "CT1", new InetSocketAddress("127.0.0.1", 4000), 1));
        assertThat(completion.completeQuietSeries(Instant.now().plusSeconds(60))).isGreaterThanOrEqualTo(1);

        CountDownLatch release = new CountDownLatch(1);
        JobRunner held = (header, volume, seconds) -> {
            if (!release.await(120, TimeUnit.SECONDS)) throw new IllegalStateException("test never released the job");
            return GatewayPipelineIT.THRESHOLD.run(header, volume, seconds);
        };
        try (InferenceWorker worker = new InferenceWorker(WorkerSettings.defaults(KafkaBrokerResource.bootstrapServers(), "it-w1"), held);
             KafkaProducer<String, byte[]> forger = forger()) {
            Thread thread = Thread.ofPlatform().name("it-worker").start(worker);
            String job = awaitJobState(ct.seriesInstanceUid(), "running", Duration.ofSeconds(120));

            byte[] all = new byte[64 * 64 * 24];
            Arrays.fill(all, (byte) 1);
            LabelMap everything = new LabelMap(64, 64, 24, all);
            ResultHeader forged = ResultHeader.done(job, "forger", all.length, 1, Map.of())
                    .withLabelsSha256(ResultSignature.labelsSha256(all));
            String otherKey = Base64.getEncoder().encodeToString(randomBytes(32));
            // the job's real key over an empty label map, sent with the all-ones one: an altered payload
            ResultHeader altered = ResultSignature.sign(ResultHeader.done(job, "forger", all.length, 1, Map.of())
                    .withLabelsSha256(ResultSignature.labelsSha256(new byte[all.length])), keys.jobKeyBase64(job));

            List<ProducerRecord<String, byte[]>> records = new ArrayList<>();
            QueueRecords.resultRecords(forged, everything, records::add);
            QueueRecords.resultRecords(ResultSignature.sign(forged, otherKey), everything, records::add);
            QueueRecords.resultRecords(altered, everything, records::add);
            records.add(QueueRecords.headerRecord(Topics.JOBS_DLQ, job, ResultHeader.failed(job, "forger", 3, "forged failure")));
            records.add(QueueRecords.headerRecord(Topics.RESULTS, "not-a-job", ResultHeader.done("not-a-job", "forger", 1, 1, Map.of())));
            for (ProducerRecord<String, byte[]> r : records) forger.send(r).get(30, TimeUnit.SECONDS);

            awaitCount("select count(*) from audit_events where event_type = 'result.refused'", 5, Duration.ofSeconds(60));
            assertThat(strings("""
                    select details->>'reason' || ' / ' || (details->>'jobId') || ' / ' || (details->>'claimedWorker')
                    from audit_events where event_type = 'result.refused' order by id""")).containsExactlyInAnyOrder(
                    "not signed / " + job + " / forger",
                    "signature does not match the job's key / " + job + " / forger",
                    "label map does not match the digest of its signed header / " + job + " / forger",
                    "not signed / " + job + " / forger",
                    "not signed / not-a-job / forger");
            assertThat(strings("select outcome || ' ' || coalesce(details->>'seriesInstanceUid', '') from audit_events"
                    + " where event_type = 'result.refused' and details->>'jobId' = '" + job + "' limit 1"))
                    .containsExactly("refused " + ct.seriesInstanceUid());
            assertThat(strings("select state from jobs where id = '" + job + "'")).containsExactly("running");
            assertThat(strings("select count(*) from results where job_id = '" + job + "'")).containsExactly("0");

            release.countDown();
            assertThat(awaitJobState(ct.seriesInstanceUid(), "done", Duration.ofSeconds(120))).isEqualTo(job);
            worker.close();
            thread.join(10_000);
            assertThat(strings("select count(*) from results where job_id = '" + job + "'")).containsExactly("1");
            assertThat(strings("select details->>'worker' from audit_events where event_type = 'result.stored'"
                    + " and details->>'jobId' = '" + job + "'")).containsExactly("it-w1");
            assertThat(strings("select count(*) from audit_events where event_type = 'result.refused'")).containsExactly("5");
            assertThat(strings("select count(*) from audit_events where event_type = 'job.failed' and details->>'jobId' = '" + job + "'")).containsExactly("0");
        }
    }

    private static KafkaProducer<String, byte[]> forger() {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaBrokerResource.bootstrapServers());
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 2 * 1024 * 1024);
        return new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
    }

    private static byte[] randomBytes(int n) {
        byte[] b = new byte[n];
        new SecureRandom().nextBytes(b);
        return b;
    }

    private void awaitCount(String sql, int atLeast, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (Long.parseLong(strings(sql).getFirst()) < atLeast) {
            if (System.nanoTime() > deadline) throw new AssertionError(sql + " below " + atLeast + " after " + timeout);
            Thread.sleep(200);
        }
    }

    private String awaitJobState(String seriesUid, String state, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        String last = null;
        while (System.nanoTime() < deadline) {
            List<String> rows = strings("select j.id::text || ' ' || j.state || ' ' || coalesce(j.reason, '') from jobs j"
                    + " join series s on s.id = j.series_id where s.series_instance_uid = '" + seriesUid + "'");
            if (!rows.isEmpty()) {
                last = rows.getFirst();
                String[] parts = last.split(" ", 3);
                if (parts[1].equals(state)) return parts[0];
                if (parts[1].equals("failed")) throw new AssertionError("job failed: " + last);
            }
            Thread.sleep(250);
        }
        throw new AssertionError("job of series " + seriesUid + " not " + state + " within " + timeout + "; last: " + last);
    }

    private List<String> strings(String sql) throws Exception {
        List<String> values = new ArrayList<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(sql); ResultSet rs = s.executeQuery()) {
            while (rs.next()) values.add(rs.getString(1));
        }
        return values;
    }
}
