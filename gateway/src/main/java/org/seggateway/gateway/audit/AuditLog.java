package org.seggateway.gateway.audit;

import java.lang.invoke.MethodHandles;
import org.jboss.logging.BasicLogger;
import org.jboss.logging.Logger;
import org.jboss.logging.annotations.LogMessage;
import org.jboss.logging.annotations.Message;
import org.jboss.logging.annotations.MessageLogger;

/** Log events of the audit trail (ids 7000-7099). */
@MessageLogger(projectCode = "SEGGW", length = 4)
interface AuditLog extends BasicLogger {
    AuditLog LOG = Logger.getMessageLogger(MethodHandles.lookup(), AuditLog.class, AuditLog.class.getPackageName());

    @LogMessage(level = Logger.Level.ERROR)
    @Message(id = 7001, value = "%d denied API requests (%d groups) could not be recorded in the audit trail: %s")
    void deniedRequestsNotRecorded(long requests, int groups, String error);

    @LogMessage(level = Logger.Level.WARN)
    @Message(id = 7002, value = "gateway stop not recorded in the audit trail: %s")
    void stopNotRecorded(String error);
}
