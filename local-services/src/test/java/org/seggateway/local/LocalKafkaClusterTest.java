package org.seggateway.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Three KRaft nodes: committed transactions survive the SIGKILL of any one node, and the node rejoins on its data. */
class LocalKafkaClusterTest {
    @TempDir
    Path directory;

    @Test
    void aTransactionCommittedWhileOneNodeIsDeadIsReadAfterItRejoins() throws Exception {
        try (LocalKafkaCluster cluster = LocalKafkaCluster.start(directory, 3)) {
            assertThat(cluster.bootstrapServers().split(",")).hasSize(3);
            try (Admin admin = Admin.create(Map.of("bootstrap.servers", cluster.bootstrapServers()))) {
                admin.createTopics(List.of(new NewTopic("seg.jobs", 3, (short) 3))).all().get();
                TopicDescription topic = admin.describeTopics(List.of("seg.jobs")).allTopicNames().get().get("seg.jobs");
                assertThat(topic.partitions()).allSatisfy(p -> assertThat(p.replicas()).hasSize(3));
            }
            try (KafkaProducer<String, String> producer = producer(cluster, "tx-cluster")) {
                producer.initTransactions();
                send(producer, 0, 50);
                cluster.node(2).kill();
                send(producer, 50, 100);   // two replicas of three are in sync: enough for min.insync.replicas 2
            }
            cluster.node(2).startProcess();
            assertThat(cluster.node(2).isAlive()).isTrue();
            assertThat(readAll(cluster, 100)).hasSize(100);
        }
    }

    private static void send(KafkaProducer<String, String> producer, int from, int to) {
        producer.beginTransaction();
        for (int i = from; i < to; i++) producer.send(new ProducerRecord<>("seg.jobs", "job-" + i, "v"));
        producer.commitTransaction();
    }

    private static Set<String> readAll(LocalKafkaCluster cluster, int expected) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers());
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "cluster-test");
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        Set<String> keys = new HashSet<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(p, new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of("seg.jobs"));
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (keys.size() < expected && System.nanoTime() < deadline)
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(500))) keys.add(r.key());
        }
        return keys;
    }

    private static KafkaProducer<String, String> producer(LocalKafkaCluster cluster, String transactionalId) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers());
        p.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        return new KafkaProducer<>(p, new StringSerializer(), new StringSerializer());
    }
}
