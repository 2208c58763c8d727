package org.seggateway.it.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.Test;
import org.seggateway.gateway.queue.TopicSetup;

/** The topics the gateway creates on a real broker carry a retention and min.insync.replicas (describeConfigs). */
@QuarkusTest
@QuarkusTestResource(value = KafkaBrokerResource.class, restrictToAnnotatedClass = true)
class TopicSettingsIT {
    @Inject
    TopicSetup topics;

    @Test
    void createdTopicsHaveTheirRetentionAndMinInSyncReplicas() throws Exception {
        assertThat(topics.ensure()).isTrue();
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaBrokerResource.bootstrapServers());
        try (Admin admin = Admin.create(p)) {
            List<ConfigResource> resources = TopicSetup.TOPICS.stream().map(t -> new ConfigResource(ConfigResource.Type.TOPIC, t)).toList();
            Map<ConfigResource, Config> configs = admin.describeConfigs(resources).all().get(30, TimeUnit.SECONDS);
            Map<String, String> retention = new java.util.TreeMap<>();
            configs.forEach((r, c) -> {
                retention.put(r.name(), c.get("retention.ms").value());
                assertThat(c.get("min.insync.replicas").value()).as("min.insync.replicas of %s (replication factor 1)", r.name()).isEqualTo("1");
                assertThat(c.get("max.message.bytes").value()).isEqualTo(Integer.toString(2 * 1024 * 1024));
            });
            assertThat(retention).containsExactlyInAnyOrderEntriesOf(Map.of(
                    "seg.jobs", Long.toString(TimeUnit.HOURS.toMillis(24)),
                    "seg.results", Long.toString(TimeUnit.HOURS.toMillis(24)),
                    "seg.jobs.dlq", Long.toString(TimeUnit.DAYS.toMillis(14))));
        }
    }
}
