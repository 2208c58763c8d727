package org.seggateway.it.worker;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.seggateway.inference.queue.Topics;
import org.seggateway.local.LocalKafka;

/** A real broker with the workers' topics, and the clients a test plays the gateway with. */
final class WorkerBroker {
    private WorkerBroker() {}

    /** A broker in {@code directory} with seg.jobs and seg.results of {@code partitions} partitions and seg.jobs.dlq of one. */
    static LocalKafka start(Path directory, int partitions) throws Exception {
        LocalKafka broker = LocalKafka.start(directory);
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic(Topics.JOBS, partitions, (short) 1),
                    new NewTopic(Topics.RESULTS, partitions, (short) 1), new NewTopic(Topics.JOBS_DLQ, 1, (short) 1))).all().get();
        } catch (Exception e) {
            broker.close();
            throw e;
        }
        return broker;
    }

    /** A transactional producer as the gateway's job publisher is one (records up to 2 MiB). */
    static KafkaProducer<String, byte[]> producer(LocalKafka broker, String transactionalId) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        p.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId);
        p.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 2 * 1024 * 1024);
        return new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
    }

    /** A read_committed consumer of {@code topic} from its start, in group {@code groupId}. */
    static KafkaConsumer<String, byte[]> consumer(LocalKafka broker, String groupId, String topic) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        p.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        var c = new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer());
        c.subscribe(List.of(topic));
        return c;
    }
}
