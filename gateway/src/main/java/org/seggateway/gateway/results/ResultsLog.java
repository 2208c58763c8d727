package org.seggateway.gateway.results;

import java.lang.invoke.MethodHandles;
import java.util.List;
import java.util.UUID;
import org.jboss.logging.BasicLogger;
import org.jboss.logging.Logger;
import org.jboss.logging.annotations.Cause;
import org.jboss.logging.annotations.LogMessage;
import org.jboss.logging.annotations.Message;
import org.jboss.logging.annotations.MessageLogger;

/** Log events of results: ids 3001-3099, and 3100-3199 for the measurements and the measurement report. */
@MessageLogger(projectCode = "SEGGW", length = 4)
interface ResultsLog extends BasicLogger {
    ResultsLog LOG = Logger.getMessageLogger(MethodHandles.lookup(), ResultsLog.class, ResultsLog.class.getPackageName());

    @LogMessage(level = Logger.Level.WARN)
    @Message(id = 3001, value = "result for unknown job %s ignored")
    void unknownJob(String jobId);

    @LogMessage(level = Logger.Level.INFO)
    @Message(id = 3002, value = "result for job %s already stored: duplicate ignored")
    void duplicate(String jobId);

    @LogMessage(level = Logger.Level.WARN)
    @Message(id = 3003, value = "result for job %s in state '%s' ignored")
    void notAwaited(String jobId, String state);

    @LogMessage(level = Logger.Level.WARN)
    @Message(id = 3004, value = "result for job %s ignored: the job is not recorded as queued yet")
    void notYetQueued(String jobId);

    @LogMessage(level = Logger.Level.INFO)
    @Message(id = 3005, value = "result for job %s already stored or job no longer waiting: nothing done")
    void nothingDone(UUID jobId);

    @LogMessage(level = Logger.Level.WARN)
    @Message(id = 3006, value = "job %s failed: %s")
    void jobFailed(UUID jobId, String reason);

    @LogMessage(level = Logger.Level.WARN)
    @Message(id = 3007, value = "job %s: %s")
    void labelLeftOut(UUID jobId, String leftOut);

    @LogMessage(level = Logger.Level.INFO)
    @Message(id = 3008, value = "job %s done: SEG %s (version %d, %d frames, %d bytes) in %.2f s, deliveries to %s")
    void done(UUID jobId, Object segFile, int version, int frames, long bytes, double seconds, List<String> destinations);

    @LogMessage(level = Logger.Level.INFO)
    @Message(id = 3009, value = "dead letter for job %s ignored: the job is not waiting for a result")
    void deadLetterIgnored(UUID jobId);

    @LogMessage(level = Logger.Level.WARN)
    @Message(id = 3010, value = "record with a job id that is not ours ('%s') ignored")
    void foreignJobId(String jobId);

    @LogMessage(level = Logger.Level.WARN)
    @Message(id = 3011, value = "job %s: route '%s' no longer exists: the SEG is stored without deliveries")
    void routeGone(UUID jobId, String route);

    @LogMessage(level = Logger.Level.WARN)
    @Message(id = 3012, value = "start of a job that is not ours ('%s') ignored")
    void foreignStart(String jobId);

    @LogMessage(level = Logger.Level.DEBUG)
    @Message(id = 3013, value = "start of job %s by %s ignored: the job is %s")
    void startIgnored(UUID jobId, String worker, String state);

    @LogMessage(level = Logger.Level.DEBUG)
    @Message(id = 3014, value = "job %s started on %s (attempt %d)")
    void started(UUID jobId, String worker, int attempt);

    @LogMessage(level = Logger.Level.WARN)
    @Message(id = 3015, value = "result record %s for job %s refused: %s")
    void refused(String record, String jobId, String reason);

    @LogMessage(level = Logger.Level.INFO)
    @Message(id = 3016, value = "consuming %s and %s at %s")
    void consuming(String results, String deadLetters, String bootstrapServers);

    @LogMessage(level = Logger.Level.WARN)
    @Message(id = 3017, value = "result consumer woken unexpectedly; starting over")
    void wokenUnexpectedly();

    @LogMessage(level = Logger.Level.ERROR)
    @Message(id = 3018, value = "result consumer stopped: %s; starting over from the committed offsets in %d s")
    void consumerStopped(@Cause Throwable cause, String message, long seconds);

    @LogMessage(level = Logger.Level.ERROR)
    @Message(id = 3019, value = "record %s-%d@%d of job %s skipped (%s): %s")
    void recordSkipped(@Cause Throwable cause, String topic, int partition, long offset, String jobId, String what, String reason);

    @LogMessage(level = Logger.Level.ERROR)
    @Message(id = 3020, value = "unreadable record skipped: %s")
    void unreadableRecord(String why);

    @LogMessage(level = Logger.Level.DEBUG)
    @Message(id = 3021, value = "chunk of result %s at %s@%d without header ignored")
    void orphanChunk(String jobId, Object partition, long offset);

    @LogMessage(level = Logger.Level.WARN)
    @Message(id = 3100, value = "job %s: source volume not readable for the measurements, result stored without them: %s")
    void volumeUnreadable(UUID jobId, String reason);

    @LogMessage(level = Logger.Level.WARN)
    @Message(id = 3101, value = "job %s: measurements not computed, result stored without them: %s")
    void measurementsFailed(@Cause Throwable cause, UUID jobId, String reason);

    @LogMessage(level = Logger.Level.WARN)
    @Message(id = 3102, value = "job %s: measurement report not written, the SEG is delivered alone: %s")
    void reportFailed(@Cause Throwable cause, UUID jobId, String reason);

    @LogMessage(level = Logger.Level.DEBUG)
    @Message(id = 3103, value = "job %s: measurement report %s with %d measurement group(s)")
    void reportWritten(UUID jobId, String sopInstanceUid, int groups);
}
