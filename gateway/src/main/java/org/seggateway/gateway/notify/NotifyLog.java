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

/** Log events of webhook notifications: ids 5001-5099. They name the webhook and its host, never its URL's path. */
@MessageLogger(projectCode = "SEGGW", length = 4)
interface NotifyLog extends BasicLogger {
    NotifyLog LOG = Logger.getMessageLogger(MethodHandles.lookup(), NotifyLog.class, NotifyLog.class.getPackageName());

    @LogMessage(level = Logger.Level.INFO)
    @Message(id = 5001, value = "notification %d (%s of delivery %d) sent to webhook %s: HTTP %d")
    void sent(long id, String event, long deliveryId, String webhook, Integer httpStatus);

    @LogMessage(level = Logger.Level.WARN)
    @Message(id = 5002, value = "notification %d to webhook %s failed (attempt %d): %s; next attempt at %s")
    void attemptFailed(long id, String webhook, int attempt, String error, Instant next);

    @LogMessage(level = Logger.Level.ERROR)
    @Message(id = 5003, value = "notification %d (%s of delivery %d) to webhook %s marked failed: %s")
    void gaveUp(long id, String event, long deliveryId, String webhook, String error);

    @LogMessage(level = Logger.Level.ERROR)
    @Message(id = 5004, value = "notification %d to webhook %s marked failed: %s")
    void notHandled(@Cause Throwable cause, long id, String webhook, String error);

    @LogMessage(level = Logger.Level.WARN)
    @Message(id = 5005, value = "notification %d to webhook %s: claim lost (lease of %s ran out and another sender took it); this attempt is not recorded")
    void claimLost(long id, String webhook, Duration lease);
}
