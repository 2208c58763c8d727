package org.seggateway.gateway.dicomweb;

import java.lang.invoke.MethodHandles;
import org.jboss.logging.BasicLogger;
import org.jboss.logging.Logger;
import org.jboss.logging.annotations.Cause;
import org.jboss.logging.annotations.LogMessage;
import org.jboss.logging.annotations.Message;
import org.jboss.logging.annotations.MessageLogger;

/** Log events of the DICOMweb (STOW-RS) endpoint: ids 0801-0849. */
@MessageLogger(projectCode = "SEGGW", length = 4)
interface DicomWebLog extends BasicLogger {
    DicomWebLog LOG = Logger.getMessageLogger(MethodHandles.lookup(), DicomWebLog.class, DicomWebLog.class.getPackageName());

    @LogMessage(level = Logger.Level.INFO)
    @Message(id = 801, value = "STOW-RS request %d from user %s (as %s): %d parts, %d stored, %d failed, %d bytes in %d ms")
    void requestDone(long request, String user, String callingAeTitle, int parts, long stored, long failed, long bytes, long millis);

    @LogMessage(level = Logger.Level.WARN)
    @Message(id = 802, value = "STOW-RS request %d part %d from user %s refused (Failure Reason %s): %s")
    void partRefused(long request, int part, String user, String failureReason, String reason);

    @LogMessage(level = Logger.Level.ERROR)
    @Message(id = 803, value = "STOW-RS request %d part %d from user %s not stored (Failure Reason 0x0110): %s")
    void cannotStore(@Cause Throwable cause, long request, int part, String user, String reason);

    @LogMessage(level = Logger.Level.WARN)
    @Message(id = 804, value = "STOW-RS request from user %s refused whole (HTTP %d): %s")
    void requestRefused(String user, int httpStatus, String reason);

    @LogMessage(level = Logger.Level.WARN)
    @Message(id = 805, value = "STOW-RS request %d from user %s: the body ended before the closing delimiter after %d parts")
    void endedEarly(long request, String user, int parts);
}
