package org.seggateway.gateway.retention;

import java.lang.invoke.MethodHandles;
import java.nio.file.Path;
import java.time.Duration;
import org.jboss.logging.BasicLogger;
import org.jboss.logging.Logger;
import org.jboss.logging.annotations.LogMessage;
import org.jboss.logging.annotations.Message;
import org.jboss.logging.annotations.MessageLogger;

/** Log events of spool retention (ids 1201-1299). */
@MessageLogger(projectCode = "SEGGW", length = 4)
interface RetentionLog extends BasicLogger {
    RetentionLog LOG = Logger.getMessageLogger(MethodHandles.lookup(), RetentionLog.class, RetentionLog.class.getPackageName());

    @LogMessage(level = Logger.Level.INFO)
    @Message(id = 1201, value = "spool retention: instance files of %d series deleted (kept %s)")
    void purged(int series, Duration kept);

    @LogMessage(level = Logger.Level.ERROR)
    @Message(id = 1202, value = "spool retention pass failed: %s")
    void passFailed(String why);

    @LogMessage(level = Logger.Level.WARN)
    @Message(id = 1203, value = "spool retention: cannot delete %s: %s")
    void cannotDelete(Path file, String why);
}
