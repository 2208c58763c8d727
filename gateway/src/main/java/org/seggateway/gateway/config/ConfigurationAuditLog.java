package org.seggateway.gateway.config;

import java.lang.invoke.MethodHandles;
import org.jboss.logging.BasicLogger;
import org.jboss.logging.Logger;
import org.jboss.logging.annotations.LogMessage;
import org.jboss.logging.annotations.Message;
import org.jboss.logging.annotations.MessageLogger;

/** Log events of the configuration's record in the audit trail (ids 8100-8199). */
@MessageLogger(projectCode = "SEGGW", length = 4)
interface ConfigurationAuditLog extends BasicLogger {
    ConfigurationAuditLog LOG = Logger.getMessageLogger(MethodHandles.lookup(), ConfigurationAuditLog.class,
            ConfigurationAuditLog.class.getPackageName());

    @LogMessage(level = Logger.Level.INFO)
    @Message(id = 8101, value = "configuration %s recorded (routes, destinations, webhooks)")
    void recorded(String sha256);

    @LogMessage(level = Logger.Level.INFO)
    @Message(id = 8102, value = "configuration %s recorded; changed since %s: %s")
    void recordedChanged(String sha256, String previousSha256, Object changes);
}
