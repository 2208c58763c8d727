package org.seggateway.gateway.health;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;
import org.seggateway.gateway.queue.KafkaClients;
import org.seggateway.gateway.queue.TopicSetup;

/** Readiness "kafka": the cluster answers describeCluster within 3 s and the topics are set up. */
@Readiness
@ApplicationScoped
public class KafkaReadiness implements HealthCheck {
    public static final String NAME = "kafka";
    private static final int TIMEOUT_MS = 3000;
    private final KafkaClients clients;
    private final TopicSetup topics;

    KafkaReadiness(KafkaClients clients, TopicSetup topics) {
        this.clients = clients;
        this.topics = topics;
    }

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder r = HealthCheckResponse.named(NAME).withData("bootstrap.servers", clients.bootstrapServers());
        if (!clients.settings().enabled()) return r.up().withData("queue", "disabled").build();
        Properties p = clients.admin();
        p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, TIMEOUT_MS);
        p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, TIMEOUT_MS);
        try (Admin admin = Admin.create(p)) {
            int nodes = admin.describeCluster(new DescribeClusterOptions().timeoutMs(TIMEOUT_MS)).nodes()
                    .get(TIMEOUT_MS, TimeUnit.MILLISECONDS).size();
            r.withData("brokers", nodes);
        } catch (Exception e) {
            return r.down().withData("error", "no answer from the cluster: " + e.getClass().getSimpleName()).build();
        }
        if (!topics.ensure()) return r.down().withData("error", String.valueOf(topics.lastError())).build();
        return r.up().build();
    }
}
