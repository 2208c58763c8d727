package org.seggateway.gateway.security;

import java.lang.invoke.MethodHandles;
import org.jboss.logging.BasicLogger;
import org.jboss.logging.Logger;
import org.jboss.logging.annotations.LogMessage;
import org.jboss.logging.annotations.Message;
import org.jboss.logging.annotations.MessageLogger;

/** Log events of API access control (ids 8300-8399) and of the page's OIDC sign-in (8700-8749). */
@MessageLogger(projectCode = "SEGGW", length = 4)
interface SecurityLog extends BasicLogger {
    SecurityLog LOG = Logger.getMessageLogger(MethodHandles.lookup(), SecurityLog.class, SecurityLog.class.getPackageName());

    @LogMessage(level = Logger.Level.WARN)
    @Message(id = 8301, value = "API sign-in from %s locked out for %d s after %d failures")
    void signInLockedOut(String address, long seconds, int failures);

    @LogMessage(level = Logger.Level.ERROR)
    @Message(id = 8701, value = "%s of user %s could not be recorded in the audit trail: %s")
    void signInNotRecorded(String type, String user, String error);
}
