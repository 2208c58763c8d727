package org.seggateway.it.gateway;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.seggateway.local.LocalKafka;

/**
 * Starts a real Kafka broker before the gateway of a @QuarkusTest and points the gateway at it, with the
 * queue switched on (the gateway's own tests run without it). The topics are left to the gateway to create.
 */
public class KafkaBrokerResource implements QuarkusTestResourceLifecycleManager {
    private static volatile LocalKafka broker;
    private Path directory;

    /** The broker of the running test, for the workers the test starts. */
    public static String bootstrapServers() {
        return broker.bootstrapServers();
    }

    @Override
    public Map<String, String> start() {
        try {
            directory = Files.createTempDirectory("kafka-it-");
            broker = LocalKafka.start(directory);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Map.of(
                "kafka.bootstrap.servers", broker.bootstrapServers(),
                "seg-gateway.queue.enabled", "true",
                "seg-gateway.queue.partitions", "2",
                "seg-gateway.queue.dispatch-every", "1s",
                "seg-gateway.model-root", Path.of("src/test/resources/models").toAbsolutePath().toString(),
                "seg-gateway.spool", directory.resolve("spool").toString());
    }

    @Override
    public void stop() {
        try {
            if (broker != null) broker.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
