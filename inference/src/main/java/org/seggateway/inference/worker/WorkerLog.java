package org.seggateway.inference.worker;

import java.lang.invoke.MethodHandles;
import org.jboss.logging.BasicLogger;
import org.jboss.logging.Logger;
import org.jboss.logging.annotations.Cause;
import org.jboss.logging.annotations.LogMessage;
import org.jboss.logging.annotations.Message;
import org.jboss.logging.annotations.MessageLogger;

/**
 * Log events of the inference worker (ids 9001-9099, docs/log-events.md). Every line of a job names its job id, the
 * only job attribute on the queue: the gateway's lines pair that id with the series.
 */
@MessageLogger(projectCode = "SEGGW", length = 4)
interface WorkerLog extends BasicLogger {
    WorkerLog LOG = Logger.getMessageLogger(MethodHandles.lookup(), WorkerLog.class, WorkerLog.class.getPackageName());

    @LogMessage(level = Logger.Level.INFO)
    @Message(id = 9001, value = "worker %s consuming %s at %s")
    void consuming(String workerId, String topic, String bootstrapServers);

    @LogMessage(level = Logger.Level.ERROR)
    @Message(id = 9002, value = "worker %s stops on %s: nothing of the job in hand is committed; restart the worker"
            + " (the job is dead-lettered after %d deliveries)")
    void stopsOnError(String workerId, Object error, int maxDeliveries, @Cause Throwable cause);

    @LogMessage(level = Logger.Level.WARN)
    @Message(id = 9003, value = "job %s: %s; dead-lettered")
    void recordUnreadable(String jobId, String error, @Cause Throwable cause);

    @LogMessage(level = Logger.Level.INFO)
    @Message(id = 9004, value = "job %s waits for memory: needs %d bytes, %d of %d held")
    void waitsForMemory(String jobId, long bytes, long reserved, long limit);

    @LogMessage(level = Logger.Level.DEBUG)
    @Message(id = 9005, value = "chunk of unknown job %s at %s@%d ignored")
    void chunkOfUnknownJob(String jobId, Object partition, long offset);

    @LogMessage(level = Logger.Level.WARN)
    @Message(id = 9006, value = "job %s %s")
    void refusedForMemory(String jobId, String refusal);

    @LogMessage(level = Logger.Level.WARN)
    @Message(id = 9007, value = "job %s: %s")
    void poisonJob(String jobId, String error);

    @LogMessage(level = Logger.Level.INFO)
    @Message(id = 9008, value = "job %s done in %s")
    void done(String jobId, Object secondsByStage);

    @LogMessage(level = Logger.Level.WARN)
    @Message(id = 9009, value = "job %s failed (attempt %d of %d)")
    void attemptFailed(String jobId, int attempt, int attempts, @Cause Throwable cause);

    @LogMessage(level = Logger.Level.WARN)
    @Message(id = 9010, value = "start of job %s not announced")
    void startNotAnnounced(String jobId, @Cause Throwable cause);
}
