package org.seggateway.gateway.queue;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Alternative;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.seggateway.dicomio.volume.Volume;

/**
 * Keeps what would go to Kafka: the job publisher of the gateway's own tests, which run without a broker
 * (integration-tests use a real one).
 */
@Alternative
@Priority(1)
@ApplicationScoped
public class RecordingPublisher implements JobPublisher {
    public record Published(String modelName, String modelVersion, Volume volume) {
    }

    private final Map<String, Published> published = new ConcurrentHashMap<>();
    private volatile Consumer<String> onPublish = jobId -> {
    };

    /** Runs {@code hook} with the job id inside each publish (while the dispatcher holds the job's row). */
    public void onPublish(Consumer<String> hook) {
        onPublish = hook;
    }

    /** What was published for a job, or null (a method, not a field: tests hold a client proxy). */
    public Published published(String jobId) {
        return published.get(jobId);
    }

    @Override
    public void publish(String jobId, String modelName, String modelVersion, Volume volume) {
        published.put(jobId, new Published(modelName, modelVersion, volume));
        onPublish.accept(jobId);
    }
}
