package org.seggateway.gateway.queue;

import java.lang.invoke.MethodHandles;
import java.util.List;
import java.util.UUID;
import org.jboss.logging.BasicLogger;
import org.jboss.logging.Logger;
import org.jboss.logging.annotations.LogMessage;
import org.jboss.logging.annotations.Message;
import org.jboss.logging.annotations.MessageLogger;

/** Log events of the job queue: dispatch and the Kafka topics (ids 2101-2199). */
@MessageLogger(projectCode = "SEGGW", length = 4)
interface QueueLog extends BasicLogger {
    QueueLog LOG = Logger.getMessageLogger(MethodHandles.lookup(), QueueLog.class, QueueLog.class.getPackageName());

    @LogMessage(level = Logger.Level.INFO)
    @Message(id = 2101, value = "queue disabled (seg-gateway.queue.enabled=false): jobs stay in state 'complete'")
    void queueDisabled();

    @LogMessage(level = Logger.Level.ERROR)
    @Message(id = 2102, value = "job dispatch pass failed, next try in %d ms: %s")
    void passFailed(long nextTryMillis, String why);

    @LogMessage(level = Logger.Level.INFO)
    @Message(id = 2103, value = "job %s: %s")
    void volumeWarning(UUID jobId, String warning);

    @LogMessage(level = Logger.Level.ERROR)
    @Message(id = 2104, value = "job %s left in state 'complete': Kafka did not take it: %s")
    void kafkaRefused(UUID jobId, String why);

    @LogMessage(level = Logger.Level.INFO)
    @Message(id = 2105, value = "job %s queued: series %s version %d, %s %s, %s %s, assembled in %.2f s, published in %.2f s")
    void queued(UUID jobId, String seriesUid, int seriesVersion, String model, String modelVersion, String voxelType, String size,
                double assembleSeconds, double publishSeconds);

    @LogMessage(level = Logger.Level.WARN)
    @Message(id = 2106, value = "job %s (series %s) failed before the queue: %s")
    void failedBeforeQueue(UUID jobId, String seriesUid, String reason);

    @LogMessage(level = Logger.Level.INFO)
    @Message(id = 2107, value = "Kafka at %s: topics %s ready%s")
    void topicsReady(String bootstrapServers, List<String> topics, String created);

    @LogMessage(level = Logger.Level.ERROR)
    @Message(id = 2108, value = "%s")
    void topicSetupFailed(String why);

    @LogMessage(level = Logger.Level.WARN)
    @Message(id = 2109, value = "topic %s exists with %s=%s, not %s as the gateway would create it (seg-gateway.queue.*); left as it is")
    void topicSettingDiffers(String topic, String key, String actual, String wanted);

    @LogMessage(level = Logger.Level.INFO)
    @Message(id = 2110, value = "settings of the existing topics not checked: %s")
    void topicSettingsNotChecked(String why);
}
