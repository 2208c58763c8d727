package org.seggateway.gateway.notify;

import java.lang.invoke.MethodHandles;
import java.time.Duration;
import java.time.Instant;
import org.jboss.logging.BasicLogger;
import org.jboss.logging.Logger;
import org.jboss.logging.annotations.Cause;
import org.jboss.logging.annotations.LogMessage;
import org.jboss.logging.annotations.Message;
import org.jboss.logging.annotations.MessageLogger;

/**
 * Log events of HL7 and FHIR result messages: ids 9203-9249. They name the channel, the receiver and its host and port,
 * never a token, a patient ID or an accession number.
 */
@MessageLogger(projectCode = "SEGGW", length = 4)
interface ResultMessageLog extends BasicLogger {
    ResultMessageLog LOG = Logger.getMessageLogger(MethodHandles.lookup(), ResultMessageLog.class,
            ResultMessageLog.class.getPackageName());

    @LogMessage(level = Logger.Level.INFO)
    @Message(id = 9203, value = "result message %d (%s of result %d) accepted by %s: %s")
    void sent(long id, String channel, Long resultId, String receiver, String answer);

    @LogMessage(level = Logger.Level.WARN)
    @Message(id = 9204, value = "result message %d (%s) to %s failed (attempt %d): %s; next attempt at %s")
    void attemptFailed(long id, String channel, String receiver, int attempt, String error, Instant next);

    @LogMessage(level = Logger.Level.ERROR)
    @Message(id = 9205, value = "result message %d (%s of result %d) to %s marked failed: %s")
    void gaveUp(long id, String channel, Long resultId, String receiver, String error);

    @LogMessage(level = Logger.Level.ERROR)
    @Message(id = 9206, value = "result message %d (%s) to %s marked failed: %s")
    void notHandled(@Cause Throwable cause, long id, String channel, String receiver, String error);

    @LogMessage(level = Logger.Level.WARN)
    @Message(id = 9207, value = "result message %d (%s) to %s: claim lost (lease of %s ran out and another sender took it); this attempt is not recorded")
    void claimLost(long id, String channel, String receiver, Duration lease);
}
