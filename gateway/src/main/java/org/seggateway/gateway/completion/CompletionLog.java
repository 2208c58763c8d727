package org.seggateway.gateway.completion;

import java.lang.invoke.MethodHandles;
import java.nio.file.Path;
import org.jboss.logging.BasicLogger;
import org.jboss.logging.Logger;
import org.jboss.logging.annotations.LogMessage;
import org.jboss.logging.annotations.Message;
import org.jboss.logging.annotations.MessageLogger;

/** Log events of series completion (ids 1101-1199). */
@MessageLogger(projectCode = "SEGGW", length = 4)
interface CompletionLog extends BasicLogger {
    CompletionLog LOG = Logger.getMessageLogger(MethodHandles.lookup(), CompletionLog.class, CompletionLog.class.getPackageName());

    @LogMessage(level = Logger.Level.ERROR)
    @Message(id = 1101, value = "series completion check failed: %s")
    void checkFailed(String why);

    @LogMessage(level = Logger.Level.INFO)
    @Message(id = 1102, value = "series %s (version %d) complete with %d instances: %s")
    void seriesComplete(String seriesUid, int version, int instances, String decision);

    @LogMessage(level = Logger.Level.WARN)
    @Message(id = 1103, value = "series %s: cannot read %s for routing: %s")
    void routingHeaderUnreadable(String seriesUid, Path file, String why);
}
