package org.seggateway.gateway.egress;

import java.lang.invoke.MethodHandles;
import org.jboss.logging.BasicLogger;
import org.jboss.logging.Logger;
import org.jboss.logging.annotations.LogMessage;
import org.jboss.logging.annotations.Message;
import org.jboss.logging.annotations.MessageLogger;

/** Log events of deliveries to STOW-RS destinations: ids 4030-4049. */
@MessageLogger(projectCode = "SEGGW", length = 4)
interface StowLog extends BasicLogger {
    StowLog LOG = Logger.getMessageLogger(MethodHandles.lookup(), StowLog.class, StowLog.class.getPackageName());

    @LogMessage(level = Logger.Level.WARN)
    @Message(id = 4030, value = "delivery %d to %s: the STOW-RS service refused the measurement report (Failure Reason %s); the delivery counts with the SEG alone")
    void measurementReportRefused(long delivery, String destination, String reason);

    @LogMessage(level = Logger.Level.WARN)
    @Message(id = 4031, value = "delivery %d to %s: STOW-RS response unreadable (%s); judged by its HTTP status %d alone")
    void responseUnreadable(long delivery, String destination, String why, int httpStatus);
}
