package org.seggateway.inference.worker;

import java.time.Duration;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;

/**
 * How a worker talks to Kafka. {@code extra} holds any other Kafka client property (security settings of
 * an external cluster, for instance) and is applied to both clients.
 *
 * @param attempts      tries per job before it goes to the dead-letter topic
 * @param maxDeliveries times the group's workers take a job up without an answer (each crash of a worker on it is one)
 *                      before a worker dead-letters it instead of running it again
 * @param memoryBudget  heap bytes the jobs held at one time may use at their peak ({@link MemoryBudget}); by default
 *                      80% of the maximum heap
 */
public record WorkerSettings(String bootstrapServers, String groupId, String workerId, int attempts,
                             Duration maxJobTime, Properties extra, int maxDeliveries, long memoryBudget) {
    public static final int DEFAULT_MAX_DELIVERIES = 3;

    public WorkerSettings {
        if (maxDeliveries < 1) throw new IllegalArgumentException("maxDeliveries must be at least 1, not " + maxDeliveries);
        if (memoryBudget < 1) throw new IllegalArgumentException("memoryBudget must be positive, not " + memoryBudget);
    }

    /** With the default memory budget. */
    public WorkerSettings(String bootstrapServers, String groupId, String workerId, int attempts, Duration maxJobTime,
                          Properties extra, int maxDeliveries) {
        this(bootstrapServers, groupId, workerId, attempts, maxJobTime, extra, maxDeliveries,
                (long) (Runtime.getRuntime().maxMemory() * MemoryBudget.DEFAULT_HEAP_SHARE));
    }

    /** With the default delivery limit and memory budget. */
    public WorkerSettings(String bootstrapServers, String groupId, String workerId, int attempts, Duration maxJobTime,
                          Properties extra) {
        this(bootstrapServers, groupId, workerId, attempts, maxJobTime, extra, DEFAULT_MAX_DELIVERIES);
    }

    public static WorkerSettings defaults(String bootstrapServers, String workerId) {
        return new WorkerSettings(bootstrapServers, "seg-workers", workerId, 3, Duration.ofMinutes(30), new Properties());
    }

    public WorkerSettings withMemoryBudget(long bytes) {
        return new WorkerSettings(bootstrapServers, groupId, workerId, attempts, maxJobTime, extra, maxDeliveries, bytes);
    }

    Properties consumer() {
        Properties p = new Properties();
        p.putAll(extra);
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
        p.put(ConsumerConfig.CLIENT_ID_CONFIG, workerId + "-consumer");
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        // a job is header + chunks; one poll brings at most 64 chunks (64 MiB of voxels), one fetch up to 32 MiB of records
        // (the 1 MiB default made a 157 MB volume 150 round trips)
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 64);
        p.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 32 * 1024 * 1024);
        p.put(ConsumerConfig.FETCH_MAX_BYTES_CONFIG, 32 * 1024 * 1024);
        p.put(ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG, (int) maxJobTime.toMillis());
        return p;
    }

    Properties producer() {
        Properties p = new Properties();
        p.putAll(extra);
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(ProducerConfig.CLIENT_ID_CONFIG, workerId + "-producer");
        p.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "seg-worker-" + workerId);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        p.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 2 * 1024 * 1024);
        // label chunks compress to a few KiB: many to a batch, below the topics' max.message.bytes of 2 MiB
        p.put(ProducerConfig.BATCH_SIZE_CONFIG, 2 * 1024 * 1024 - 256 * 1024);
        p.put(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, 300_000);
        return p;
    }
}
