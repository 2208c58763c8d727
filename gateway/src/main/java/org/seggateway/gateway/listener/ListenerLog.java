package org.seggateway.gateway.listener;

import java.lang.invoke.MethodHandles;
import org.jboss.logging.BasicLogger;
import org.jboss.logging.Logger;
import org.jboss.logging.annotations.LogMessage;
import org.jboss.logging.annotations.Message;
import org.jboss.logging.annotations.MessageLogger;

/** Log events of the gateway's DICOM listener (ids 0501-0599, docs/log-events.md); the receiver's own are 0001-0499. */
@MessageLogger(projectCode = "SEGGW", length = 4)
interface ListenerLog extends BasicLogger {
    ListenerLog LOG = Logger.getMessageLogger(MethodHandles.lookup(), ListenerLog.class, ListenerLog.class.getPackageName());

    @LogMessage(level = Logger.Level.INFO)
    @Message(id = 501, value = "DICOM listener disabled (seg-gateway.scp.enabled=false)")
    void disabled();

    @LogMessage(level = Logger.Level.INFO)
    @Message(id = 502, value = "DICOM listener %s on %s:%d (%s), calling AE titles %s, caller addresses %s, %s")
    void listening(String aeTitle, String bindAddress, int port, Object transport, Object callingAeTitles,
                   Object callerAddresses, Object limits);

    @LogMessage(level = Logger.Level.INFO)
    @Message(id = 503, value = "DICOM listener stopped")
    void stopped();

    @LogMessage(level = Logger.Level.WARN)
    @Message(id = 504, value = "refused C-STORE from %s with %s: %s")
    void refused(String callingAeTitle, String status, String why);

    @LogMessage(level = Logger.Level.ERROR)
    @Message(id = 505, value = "cannot store an instance from %s now, aborting the association so that it is sent again: %s")
    void cannotStore(String callingAeTitle, Object why);

    @LogMessage(level = Logger.Level.ERROR)
    @Message(id = 506, value = "cannot audit %s association %d from %s: %s")
    void cannotAudit(String outcome, long association, String callingAeTitle, Object why);
}
