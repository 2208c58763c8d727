package org.seggateway.gateway.egress;

import java.lang.invoke.MethodHandles;
import java.time.Duration;
import java.time.Instant;
import org.jboss.logging.BasicLogger;
import org.jboss.logging.Logger;
import org.jboss.logging.annotations.Cause;
import org.jboss.logging.annotations.LogMessage;
import org.jboss.logging.annotations.Message;
import org.jboss.logging.annotations.MessageLogger;

/** Log events of deliveries: ids 4001-4099. */
@MessageLogger(projectCode = "SEGGW", length = 4)
interface EgressLog extends BasicLogger {
    EgressLog LOG = Logger.getMessageLogger(MethodHandles.lookup(), EgressLog.class, EgressLog.class.getPackageName());

    @LogMessage(level = Logger.Level.INFO)
    @Message(id = 4001, value = "delivered result %d (SEG %s) to %s: %s")
    void delivered(long resultId, String segSopInstanceUid, String destination, String status);

    @LogMessage(level = Logger.Level.WARN)
    @Message(id = 4002, value = "delivery %d of result %d to %s failed (attempt %d): %s; next attempt at %s")
    void attemptFailed(long deliveryId, long resultId, String destination, int attempt, String status, Instant next);

    @LogMessage(level = Logger.Level.ERROR)
    @Message(id = 4003, value = "delivery %d of result %d to %s refused %d times (%s); marked failed, not retried")
    void refused(long deliveryId, long resultId, String destination, int refusals, String status);

    @LogMessage(level = Logger.Level.ERROR)
    @Message(id = 4004, value = "delivery %d of result %d to %s marked failed: %s")
    void notHandled(@Cause Throwable cause, long deliveryId, long resultId, String destination, String error);

    @LogMessage(level = Logger.Level.ERROR)
    @Message(id = 4005, value = "delivery %d: no notifications of its failure: %s")
    void noNotifications(long deliveryId, String why);

    @LogMessage(level = Logger.Level.WARN)
    @Message(id = 4006, value = "delivery %d of result %d to %s: claim lost (lease of %s ran out and another sender took it); this attempt is not recorded")
    void claimLost(long deliveryId, long resultId, String destination, Duration lease);

    @LogMessage(level = Logger.Level.WARN)
    @Message(id = 4007, value = "delivery %d to %s: the destination takes no measurement report (%s); the SEG is sent alone")
    void measurementReportNotNegotiated(long delivery, String destination, String reason);

    @LogMessage(level = Logger.Level.INFO)
    @Message(id = 4010, value = "destination %s: transfer syntaxes offered %s, %s")
    void destinationAssociation(String destination, java.util.List<String> transferSyntaxes, String transport);

    @LogMessage(level = Logger.Level.WARN)
    @Message(id = 4011, value = "destination %s: transfer syntaxes %s are not ones the gateway can write; they are not offered")
    void transferSyntaxesIgnored(String destination, java.util.List<String> ignored);
}
