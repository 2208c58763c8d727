package org.seggateway.gateway.queue;

import org.seggateway.dicomio.volume.Volume;

/** Puts one job's volume on the queue for the workers. */
public interface JobPublisher {
    /**
     * Returns once the job is durably on the queue, all of it; throws a
     * {@link org.apache.kafka.common.KafkaException} when it is not there at all.
     */
    void publish(String jobId, String modelName, String modelVersion, Volume volume);
}
