package org.seggateway.dicomio.net;

import java.lang.invoke.MethodHandles;
import org.jboss.logging.BasicLogger;
import org.jboss.logging.Logger;
import org.jboss.logging.annotations.Cause;
import org.jboss.logging.annotations.LogMessage;
import org.jboss.logging.annotations.Message;
import org.jboss.logging.annotations.MessageLogger;

/**
 * Log events of the DICOM receiver (ids 0001-0499, docs/log-events.md). Each line of an association names its
 * number ("association 12"), the number its {@link AssociationEvent}s and {@link ReceivedInstance}s carry.
 */
@MessageLogger(projectCode = "SEGGW", length = 4)
interface ReceiverLog extends BasicLogger {
    ReceiverLog LOG = Logger.getMessageLogger(MethodHandles.lookup(), ReceiverLog.class, ReceiverLog.class.getPackageName());

    @LogMessage(level = Logger.Level.INFO)
    @Message(id = 1, value = "DICOM receiver %s listening on %s, %s")
    void listening(String aeTitle, Object address, String transport);

    @LogMessage(level = Logger.Level.ERROR)
    @Message(id = 2, value = "accept failed on port %d")
    void acceptFailed(int port, @Cause Throwable cause);

    @LogMessage(level = Logger.Level.WARN)
    @Message(id = 3, value = "closing %d association(s) still running after %s")
    void closingRunning(int open, Object shutdownTimeout);

    @LogMessage(level = Logger.Level.WARN)
    @Message(id = 4, value = "cannot shorten PixelMed's release wait (stays 5 s): %s")
    void releaseWaitUnchanged(Object why);

    @LogMessage(level = Logger.Level.WARN)
    @Message(id = 5, value = "cannot reach the socket of a PixelMed association: %s")
    void socketUnreachable(Object why);

    @LogMessage(level = Logger.Level.DEBUG)
    @Message(id = 101, value = "association %d from %s at %s to %s accepted")
    void accepted(long association, String callingAeTitle, Object remote, String calledAeTitle);

    @LogMessage(level = Logger.Level.WARN)
    @Message(id = 102, value = "association %d from %s at %s rejected: %s")
    void rejected(long association, String callingAeTitle, Object remote, String detail);

    @LogMessage(level = Logger.Level.DEBUG)
    @Message(id = 103, value = "association %d from %s released after %d instance(s) stored")
    void released(long association, String callingAeTitle, int stored);

    @LogMessage(level = Logger.Level.INFO)
    @Message(id = 104, value = "association %d from %s aborted after %d instance(s) stored: %s")
    void aborted(long association, String callingAeTitle, int stored, String detail);

    @LogMessage(level = Logger.Level.WARN)
    @Message(id = 105, value = "association %d from %s aborted: %s")
    void handlerFailed(long association, String callingAeTitle, String detail, @Cause Throwable cause);

    @LogMessage(level = Logger.Level.INFO)
    @Message(id = 106, value = "connection %d from %s closed: %s")
    void deadlinePassed(long association, Object remote, String why);

    @LogMessage(level = Logger.Level.DEBUG)
    @Message(id = 107, value = "connection %d from %s is not a DICOM association: %s")
    void notDicom(long association, Object remote, Object why);

    @LogMessage(level = Logger.Level.DEBUG)
    @Message(id = 108, value = "connection %d gone before it was served: %s")
    void goneBeforeServed(long association, Object why);

    @LogMessage(level = Logger.Level.WARN)
    @Message(id = 109, value = "association listener failed on %s: %s")
    void listenerFailed(Object type, Object why, @Cause Throwable cause);

    @LogMessage(level = Logger.Level.WARN)
    @Message(id = 201, value = "connection from %s refused: %d connections open (%d refused over a limit since start)")
    void refusedGlobalLimit(String address, int maxAssociations, long refused);

    @LogMessage(level = Logger.Level.WARN)
    @Message(id = 202, value = "connection from %s refused: %d connections open from that address (%d refused over a limit since start)")
    void refusedAddressLimit(String address, int maxPerAddress, long refused);

    @LogMessage(level = Logger.Level.WARN)
    @Message(id = 203, value = "association %d: refused instance %s from %s with status 0xA700: %s")
    void refusedOnLimit(long association, String sopInstanceUid, String callingAeTitle, String why);

    @LogMessage(level = Logger.Level.INFO)
    @Message(id = 204, value = "association %d: refused instance %s from %s with status %s: %s")
    void refusedByHandler(long association, String sopInstanceUid, String callingAeTitle, String status, String why);

    @LogMessage(level = Logger.Level.WARN)
    @Message(id = 205, value = "refusing C-STORE: %s has %d bytes free, below the floor of %d")
    void belowDiskFloor(Object folder, long free, long floor);

    @LogMessage(level = Logger.Level.WARN)
    @Message(id = 206, value = "cannot read the free space of %s: %s")
    void freeSpaceUnknown(Object folder, Object why);

    @LogMessage(level = Logger.Level.WARN)
    @Message(id = 207, value = "cannot delete %s: %s")
    void cannotDelete(Object file, Object why);
}
