package org.seggateway.gateway.reprocess;

import java.lang.invoke.MethodHandles;
import java.time.Duration;
import java.util.UUID;
import org.jboss.logging.BasicLogger;
import org.jboss.logging.Logger;
import org.jboss.logging.annotations.LogMessage;
import org.jboss.logging.annotations.Message;
import org.jboss.logging.annotations.MessageLogger;

/** Log events of reprocessing batches (ids 6000-6999). */
@MessageLogger(projectCode = "SEGGW", length = 4)
interface ReprocessLog extends BasicLogger {
    ReprocessLog LOG = Logger.getMessageLogger(MethodHandles.lookup(), ReprocessLog.class, ReprocessLog.class.getPackageName());

    @LogMessage(level = Logger.Level.ERROR)
    @Message(id = 6001, value = "batch dispatch pass failed: %s")
    void dispatchPassFailed(String error);

    @LogMessage(level = Logger.Level.INFO)
    @Message(id = 6002, value = "reprocessing batch %s finished")
    void batchFinished(UUID batch);

    @LogMessage(level = Logger.Level.WARN)
    @Message(id = 6003, value = "job %s (series %s): %s; next try in %s")
    void waitingForPacs(UUID job, String seriesUid, String reason, Duration retryAfter);

    @LogMessage(level = Logger.Level.WARN)
    @Message(id = 6004, value = "batch job %s (series %s) failed: %s")
    void batchJobFailed(UUID job, String seriesUid, String reason);

    @LogMessage(level = Logger.Level.WARN)
    @Message(id = 6005, value = "retrieval of series %s: refused an instance from %s: %s")
    void retrievedInstanceRefused(String seriesUid, String callingAeTitle, String reason);

    @LogMessage(level = Logger.Level.INFO)
    @Message(id = 6006, value = "retrieved series %s: %s, restored %s")
    void seriesRetrieved(String seriesUid, String move, Object outcomes);
}
