package org.seggateway.gateway.jobs;

import java.lang.invoke.MethodHandles;
import java.util.UUID;
import org.jboss.logging.BasicLogger;
import org.jboss.logging.Logger;
import org.jboss.logging.annotations.LogMessage;
import org.jboss.logging.annotations.Message;
import org.jboss.logging.annotations.MessageLogger;

/** Log events of the jobs' timeouts (ids 2001-2099). */
@MessageLogger(projectCode = "SEGGW", length = 4)
interface JobsLog extends BasicLogger {
    JobsLog LOG = Logger.getMessageLogger(MethodHandles.lookup(), JobsLog.class, JobsLog.class.getPackageName());

    @LogMessage(level = Logger.Level.ERROR)
    @Message(id = 2001, value = "job timeout check failed: %s")
    void timeoutCheckFailed(String why);

    @LogMessage(level = Logger.Level.WARN)
    @Message(id = 2002, value = "job %s failed: %s")
    void timedOut(UUID jobId, String reason);
}
