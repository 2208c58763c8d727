package org.seggateway.gateway.queue;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.Properties;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.seggateway.gateway.config.GatewayConfig;

/** Settings of the gateway's Kafka clients: the admin, the transactional job producer, the result consumer. */
@ApplicationScoped
public class KafkaClients {
    /** Room for a 1 MiB chunk and its record overhead. */
    public static final int MAX_RECORD_BYTES = 2 * 1024 * 1024;
    /**
     * Producer batches of several compressed chunks (a batch of one partition per request: 16 KiB batches made a 157 MB
     * volume 150 requests), below the topics' max.message.bytes of {@link #MAX_RECORD_BYTES}.
     */
    static final int BATCH_BYTES = MAX_RECORD_BYTES - 256 * 1024;
    /** Per fetch: a whole job or label map in a few round trips instead of one per 1 MiB (the consumer default). */
    static final int FETCH_BYTES = 32 * 1024 * 1024;

    private final String bootstrapServers;
    private final GatewayConfig.Queue queue;

    KafkaClients(@ConfigProperty(name = "kafka.bootstrap.servers") String bootstrapServers, GatewayConfig config) {
        this.bootstrapServers = bootstrapServers;
        this.queue = config.queue();
    }

    public String bootstrapServers() {
        return bootstrapServers;
    }

    public GatewayConfig.Queue settings() {
        return queue;
    }

    public Properties admin() {
        Properties p = common();
        int timeout = (int) queue.requestTimeout().toMillis();
        p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, timeout);
        p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, timeout);
        p.put(AdminClientConfig.CLIENT_ID_CONFIG, "seg-gateway-admin");
        return p;
    }

    public Properties jobProducer() {
        Properties p = common();
        p.put(ProducerConfig.CLIENT_ID_CONFIG, "seg-gateway-jobs");
        p.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, queue.transactionalId());
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, queue.compression());
        p.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, MAX_RECORD_BYTES);
        p.put(ProducerConfig.BATCH_SIZE_CONFIG, BATCH_BYTES);
        p.put(ProducerConfig.BUFFER_MEMORY_CONFIG, 64L * 1024 * 1024);
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, (int) queue.requestTimeout().toMillis() * 3);
        p.put(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, 300_000);
        return p;
    }

    public Properties resultConsumer() {
        Properties p = common();
        p.put(ConsumerConfig.CLIENT_ID_CONFIG, "seg-gateway-results");
        p.put(ConsumerConfig.GROUP_ID_CONFIG, queue.resultGroup());
        // static membership: a restarted gateway gets its partitions back at once instead of after the dead member's
        // session timeout (45 s); the transactional id is already unique per gateway instance
        p.put(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, queue.transactionalId() + "-results");
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 64);
        p.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, FETCH_BYTES);
        p.put(ConsumerConfig.FETCH_MAX_BYTES_CONFIG, FETCH_BYTES);
        // building and writing a SEG of a big series takes seconds, not minutes
        p.put(ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG, 600_000);
        return p;
    }

    private Properties common() {
        Properties p = new Properties();
        p.putAll(queue.client());
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        return p;
    }
}
