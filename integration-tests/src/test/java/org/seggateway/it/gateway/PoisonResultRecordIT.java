package org.seggateway.it.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Properties;
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

/**
 * The gateway's result consumer on a real broker, given a result it cannot take: a label map whose chunk does not fit the
 * job's grid (an IllegalArgumentException out of the reassembly). That job fails alone ("result not handled: ...", audit
 * stage {@code result}) and the result behind it in the same partition becomes a SEG; before, the consumer started
 * over from the committed offset and met the same record again, for ever.
 */
@QuarkusTest
@QuarkusTestResource(value = KafkaBrokerResource.class, restrictToAnnotatedClass = true)
class PoisonResultRecordIT {
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
    void aResultRecordThatThrowsFailsItsJobAloneAndTheNextResultIsStored() throws Exception {
        String poisoned = queuedJob("poisoned");
        String next = queuedJob("next");

        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaBrokerResource.bootstrapServers());
        p.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "test-poison-worker");
        try (var producer = new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer())) {
            producer.initTransactions();
            producer.beginTransaction();
            // the job's grid is 40x40x8 (one chunk); this label map is 40x40x7: the chunk does not fit
            LabelMap wrong = new LabelMap(40, 40, 7, new byte[40 * 40 * 7]);
            QueueRecords.resultRecords(signed(ResultHeader.done(poisoned, "w-bad", wrong.labels().length, 1, Map.of()), wrong),
                    wrong, r -> producer.send(toPartitionZero(r)));
            LabelMap right = new LabelMap(40, 40, 8, new byte[40 * 40 * 8]);
            right.labels()[40 * 40 * 4 + 40 * 20 + 20] = 1;
            QueueRecords.resultRecords(signed(ResultHeader.done(next, "w-good", right.labels().length, 1, Map.of("inference", 0.1)),
                    right), right, r -> producer.send(toPartitionZero(r)));
            producer.commitTransaction();
        }

        assertThat(awaitState(next, "done", Duration.ofSeconds(60))).isEqualTo("done");
        assertThat(awaitState(poisoned, "failed", Duration.ofSeconds(10))).isEqualTo("failed");
        assertThat(query("select reason from jobs where id = ?::uuid", poisoned))
                .startsWith("result not handled: IllegalArgumentException: label chunk 0 of 11200 bytes does not fit");
        assertThat(query("""
                select details->>'stage' from audit_events where event_type = 'job.failed' and details->>'jobId' = ?""", poisoned))
                .isEqualTo("result");
        assertThat(query("select count(*) from results where job_id = ?::uuid", poisoned)).isEqualTo("0");
        assertThat(query("select count(*) from results where job_id = ?::uuid", next)).isEqualTo("1");
    }

    /** Signed with the job's key as a worker signs it, so that the record passes the gateway's authentication. */
    private ResultHeader signed(ResultHeader header, LabelMap labels) throws Exception {
        return ResultSignature.sign(header.withLabelsSha256(ResultSignature.labelsSha256(labels.labels())),
                keys.jobKeyBase64(header.jobId()));
    }

    private static ProducerRecord<String, byte[]> toPartitionZero(ProducerRecord<String, byte[]> r) {
        return new ProducerRecord<>(r.topic(), 0, r.key(), r.value(), r.headers());
    }

    /** Stores and completes a 40x40x8 CT series and waits until the gateway has put its job on seg.jobs. */
    private String queuedJob(String name) throws Exception {
        SyntheticSeries.Written ct = SyntheticSeries.ct().size(40, 40, 8).spacing(2, 2, 3).write(incoming.resolve(name));
        for (Path f : ct.files())
            store.store(new ReceivedInstance(f, null, null, "1.2.840.10008.1.2.1", "CT1", new InetSocketAddress("127.0.0.1", 4000), 1));
        completion.completeQuietSeries(Instant.now().plusSeconds(60));
        String job = null;
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            job = query("""
                    select j.id::text from jobs j join series s on s.id = j.series_id
                    where s.series_instance_uid = ? and j.state = 'queued'""", ct.seriesInstanceUid());
            if (job != null) return job;
            Thread.sleep(200);
        }
        throw new AssertionError("job of " + name + " not queued");
    }

    private String awaitState(String job, String state, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        String now = null;
        while (System.nanoTime() < deadline) {
            now = query("select state from jobs where id = ?::uuid", job);
            if (state.equals(now)) return now;
            Thread.sleep(200);
        }
        return now;
    }

    private String query(String sql, String parameter) throws Exception {
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(sql)) {
            s.setString(1, parameter);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }
}
