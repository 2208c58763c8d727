package org.seggateway.gateway.atna;

import java.lang.invoke.MethodHandles;
import org.jboss.logging.BasicLogger;
import org.jboss.logging.Logger;
import org.jboss.logging.annotations.LogMessage;
import org.jboss.logging.annotations.Message;
import org.jboss.logging.annotations.MessageLogger;

/** Log events of the audit export to syslog (ids 7100-7199). */
@MessageLogger(projectCode = "SEGGW", length = 4)
interface AtnaLog extends BasicLogger {
    AtnaLog LOG = Logger.getMessageLogger(MethodHandles.lookup(), AtnaLog.class, AtnaLog.class.getPackageName());

    @LogMessage(level = Logger.Level.DEBUG)
    @Message(id = 7101, value = "audit export to syslog disabled (seg-gateway.audit.syslog.enabled=false)")
    void exportDisabled();

    @LogMessage(level = Logger.Level.INFO)
    @Message(id = 7102, value = "another gateway instance exports the audit trail; this one waits its turn")
    void otherInstanceExports();

    @LogMessage(level = Logger.Level.INFO)
    @Message(id = 7103, value = "exporting the audit trail to syslog %s://%s:%d after row %d")
    void exporting(String protocol, String host, int port, long afterRow);

    @LogMessage(level = Logger.Level.WARN)
    @Message(id = 7104, value = "audit export paused: database: %s; trying again in %d s")
    void pausedDatabase(String error, long retrySeconds);

    @LogMessage(level = Logger.Level.WARN)
    @Message(id = 7105, value = "audit row %d not sent to syslog %s:%d: %s; trying again in %d ms")
    void sendFailed(long row, String host, int port, String error, long retryMillis);

    /** A send failing again: the first failure of the run was {@link #sendFailed}. */
    @LogMessage(level = Logger.Level.DEBUG)
    @Message(id = 7106, value = "audit row %d not sent to syslog %s:%d: %s; trying again in %d ms")
    void sendStillFailing(long row, String host, int port, String error, long retryMillis);

    @LogMessage(level = Logger.Level.INFO)
    @Message(id = 7107, value = "syslog %s:%d reachable again: audit export resumed at row %d")
    void resumed(String host, int port, long row);

    @LogMessage(level = Logger.Level.DEBUG)
    @Message(id = 7108, value = "export lock not released (%s): a broken session releases it itself")
    void lockNotReleased(String error);

    @LogMessage(level = Logger.Level.WARN)
    @Message(id = 7109, value = "audit export backlog not counted: %s")
    void backlogNotCounted(String error);
}
