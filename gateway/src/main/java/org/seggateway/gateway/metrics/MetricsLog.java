package org.seggateway.gateway.metrics;

import java.lang.invoke.MethodHandles;
import org.jboss.logging.BasicLogger;
import org.jboss.logging.Logger;
import org.jboss.logging.annotations.LogMessage;
import org.jboss.logging.annotations.Message;
import org.jboss.logging.annotations.MessageLogger;

/** Log events of the gateway's metrics (ids 8200-8299). */
@MessageLogger(projectCode = "SEGGW", length = 4)
interface MetricsLog extends BasicLogger {
    MetricsLog LOG = Logger.getMessageLogger(MethodHandles.lookup(), MetricsLog.class, MetricsLog.class.getPackageName());

    @LogMessage(level = Logger.Level.WARN)
    @Message(id = 8201, value = "jobs by state not counted: %s")
    void jobsNotCounted(String error);
}
