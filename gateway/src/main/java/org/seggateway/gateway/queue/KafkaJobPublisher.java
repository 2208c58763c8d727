package org.seggateway.gateway.queue;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.OutOfOrderSequenceException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.jdbi.v3.core.JdbiException;
import org.seggateway.dicomio.volume.Volume;
import org.seggateway.inference.queue.QueueRecords;
import org.seggateway.inference.queue.VoxelEncoding;

/**
 * The {@link JobPublisher} on Kafka: a job's header record and voxel chunks go to {@code seg.jobs} in one
 * producer transaction, so a worker (reading committed records only) sees all of it or nothing. The
 * producer is created on first use and recreated after a fatal error (e.g. fenced by a newer instance
 * with the same transactional id). The job header carries the job's result key ({@link ResultKeys}), with which the
 * worker signs its answer, and the voxel encoding of its chunks ({@code seg-gateway.queue.voxel-encoding}), which are
 * encoded on one thread per core while the calling thread hands them to the producer in order.
 */
@ApplicationScoped
public class KafkaJobPublisher implements JobPublisher {
    private static final int ENCODERS = Runtime.getRuntime().availableProcessors();
    private final KafkaClients clients;
    private final ResultKeys resultKeys;
    private final VoxelEncoding encoding;
    /** Encodes a job's chunks beside the send, one per core: zstd on one thread took most of a 157 MB volume's publish. */
    private final ExecutorService encoders = Executors.newFixedThreadPool(ENCODERS,
            Thread.ofPlatform().name("job-encoder-", 0).daemon().factory());
    private KafkaProducer<String, byte[]> producer;

    KafkaJobPublisher(KafkaClients clients, ResultKeys resultKeys) {
        this.clients = clients;
        this.resultKeys = resultKeys;
        this.encoding = VoxelEncoding.ofWireName(clients.settings().voxelEncoding());
    }

    @Override
    public synchronized void publish(String jobId, String modelName, String modelVersion, Volume volume) {
        String resultKey;
        try {
            resultKey = resultKeys.jobKeyBase64(jobId);
        } catch (JdbiException e) {
            throw new IllegalStateException("job " + jobId + " not published: its result key cannot be made: " + e.getMessage(), e);
        }
        KafkaProducer<String, byte[]> p = producer();
        try {
            p.beginTransaction();
            QueueRecords.jobRecords(jobId, modelName, modelVersion, resultKey, encoding, volume, encoders, 2 * ENCODERS, p::send);
            p.commitTransaction();
        } catch (ProducerFencedException | OutOfOrderSequenceException | AuthorizationException fatal) {
            close();
            throw fatal;
        } catch (RuntimeException e) {
            // also a record that cannot be built (not a Kafka failure): the open transaction must not outlive it
            try {
                p.abortTransaction();
            } catch (KafkaException abortFailed) {
                close();
            }
            throw e;
        }
    }

    private KafkaProducer<String, byte[]> producer() {
        if (producer == null) {
            KafkaProducer<String, byte[]> p = new KafkaProducer<>(clients.jobProducer(), new StringSerializer(), new ByteArraySerializer());
            try {
                p.initTransactions();
            } catch (KafkaException e) {
                p.close(Duration.ZERO);
                throw e;
            }
            producer = p;
        }
        return producer;
    }

    @PreDestroy
    void shutDown() {
        encoders.shutdownNow();
        close();
    }

    private synchronized void close() {
        if (producer != null) {
            producer.close(Duration.ofSeconds(5));
            producer = null;
        }
    }
}
