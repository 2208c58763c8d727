package org.seggateway.gateway.work;

import java.lang.invoke.MethodHandles;
import org.jboss.logging.BasicLogger;
import org.jboss.logging.Logger;
import org.jboss.logging.annotations.Cause;
import org.jboss.logging.annotations.LogMessage;
import org.jboss.logging.annotations.Message;
import org.jboss.logging.annotations.MessageLogger;

/** Log events of the work loops (ids 2201-2299). */
@MessageLogger(projectCode = "SEGGW", length = 4)
interface WorkLog extends BasicLogger {
    WorkLog LOG = Logger.getMessageLogger(MethodHandles.lookup(), WorkLog.class, WorkLog.class.getPackageName());

    @LogMessage(level = Logger.Level.ERROR)
    @Message(id = 2201, value = "%s: unexpected %s caught; the loop goes on")
    void unexpected(@Cause Throwable cause, String loop, String what);
}
