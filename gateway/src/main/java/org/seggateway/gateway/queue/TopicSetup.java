package org.seggateway.gateway.queue;

import static org.seggateway.gateway.queue.QueueLog.LOG;

import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.seggateway.inference.queue.Topics;

/**
 * Creates the job, result and dead-letter topics when they are missing, with the configured partitions and
 * replication, room for 1 MiB chunks, a retention ({@code seg-gateway.queue.retention} for jobs and results, so that
 * volumes and label maps do not stay for Kafka's default week; {@code dead-letter-retention} for the dead letters) and
 * {@code min.insync.replicas} of min(2, replication factor), so that an acknowledged record is on two brokers whenever
 * there are two. Topics that exist already are left as they are (an operator may have made them), with a warning when
 * their retention or {@code min.insync.replicas} differ from these. An unreachable broker is not fatal: the gateway keeps receiving
 * (jobs wait in state 'complete'), logs the error and tries again at most every {@link #RETRY_AFTER}.
 */
@ApplicationScoped
public class TopicSetup {
    static final Duration RETRY_AFTER = Duration.ofSeconds(30);
    public static final List<String> TOPICS = List.of(Topics.JOBS, Topics.RESULTS, Topics.JOBS_DLQ);

    private final KafkaClients clients;
    private volatile boolean done;
    private volatile Instant lastTry = Instant.EPOCH;
    private volatile String lastError;

    TopicSetup(KafkaClients clients) {
        this.clients = clients;
    }

    /** True once the topics are known to exist; tries (again) when not, unless it failed moments ago. */
    public synchronized boolean ensure() {
        if (done) return true;
        Instant now = Instant.now();
        if (lastError != null && now.isBefore(lastTry.plus(RETRY_AFTER))) return false;
        lastTry = now;
        try {
            List<String> created = createMissing();
            done = true;
            lastError = null;
            LOG.topicsReady(clients.bootstrapServers(), TOPICS,
                    created.isEmpty() ? "" : " (created " + created + ")");
        } catch (Exception e) {
            lastError = "Kafka at " + clients.bootstrapServers() + " unreachable or refused the topic set-up: " + rootMessage(e)
                    + ". Jobs wait in state 'complete'; retrying every " + RETRY_AFTER.toSeconds() + " s";
            LOG.topicSetupFailed(lastError);
        }
        return done;
    }

    /** Why the topics are not set up, or null. */
    public String lastError() {
        return lastError;
    }

    private List<String> createMissing() throws Exception {
        var queue = clients.settings();
        long timeout = queue.requestTimeout().toMillis();
        try (Admin admin = Admin.create(clients.admin())) {
            Set<String> existing = admin.listTopics().names().get(timeout, TimeUnit.MILLISECONDS);
            List<NewTopic> missing = new ArrayList<>();
            for (String topic : TOPICS) {
                if (existing.contains(topic)) continue;
                missing.add(new NewTopic(topic, queue.partitions(), queue.replicationFactor()).configs(topicConfig(topic)));
            }
            warnAboutDifferentSettings(admin, TOPICS.stream().filter(existing::contains).toList(), timeout);
            List<String> created = new ArrayList<>();
            for (var entry : admin.createTopics(missing).values().entrySet()) {
                try {
                    entry.getValue().get(timeout, TimeUnit.MILLISECONDS);
                    created.add(entry.getKey());
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) throw e; // another gateway was quicker
                }
            }
            return created;
        }
    }

    /** The settings a topic is created with. */
    Map<String, String> topicConfig(String topic) {
        var queue = clients.settings();
        Duration retention = topic.equals(Topics.JOBS_DLQ) ? queue.deadLetterRetention() : queue.retention();
        return Map.of(TopicConfig.MAX_MESSAGE_BYTES_CONFIG, Integer.toString(KafkaClients.MAX_RECORD_BYTES),
                TopicConfig.RETENTION_MS_CONFIG, Long.toString(retention.toMillis()),
                TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG, Integer.toString(minInSyncReplicas(queue.replicationFactor())));
    }

    /** Two copies before an acknowledgement whenever there can be two, without making a single broker unwritable. */
    static int minInSyncReplicas(int replicationFactor) {
        return Math.max(1, Math.min(2, replicationFactor));
    }

    private void warnAboutDifferentSettings(Admin admin, List<String> topics, long timeout) {
        if (topics.isEmpty()) return;
        try {
            List<ConfigResource> resources = topics.stream().map(t -> new ConfigResource(ConfigResource.Type.TOPIC, t)).toList();
            Map<ConfigResource, Config> configs = admin.describeConfigs(resources).all().get(timeout, TimeUnit.MILLISECONDS);
            for (var entry : configs.entrySet()) {
                String topic = entry.getKey().name();
                for (String key : List.of(TopicConfig.RETENTION_MS_CONFIG, TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG)) {
                    ConfigEntry actual = entry.getValue().get(key);
                    String wanted = topicConfig(topic).get(key);
                    if (actual != null && !wanted.equals(actual.value()))
                        LOG.topicSettingDiffers(topic, key, actual.value(), wanted);
                }
            }
        } catch (Exception e) {
            LOG.topicSettingsNotChecked(rootMessage(e));
        }
    }

    static String rootMessage(Throwable e) {
        Throwable t = e;
        while ((t instanceof ExecutionException || t.getCause() != null && t.getMessage() == null) && t.getCause() != null)
            t = t.getCause();
        if (t instanceof TimeoutException) return "no answer within the request timeout";
        return t.getClass().getSimpleName() + (t.getMessage() == null ? "" : ": " + t.getMessage());
    }
}
