package org.seggateway.gateway.ingest;

import java.lang.invoke.MethodHandles;
import java.nio.file.Path;
import org.jboss.logging.BasicLogger;
import org.jboss.logging.Logger;
import org.jboss.logging.annotations.Cause;
import org.jboss.logging.annotations.LogMessage;
import org.jboss.logging.annotations.Message;
import org.jboss.logging.annotations.MessageLogger;

/** Log events of ingest: instances stored, the spool and its orphan sweep (ids 1001-1099). */
@MessageLogger(projectCode = "SEGGW", length = 4)
interface IngestLog extends BasicLogger {
    IngestLog LOG = Logger.getMessageLogger(MethodHandles.lookup(), IngestLog.class, IngestLog.class.getPackageName());

    @LogMessage(level = Logger.Level.DEBUG)
    @Message(id = 1001, value = "%s instance %s of series %s from %s")
    void instanceStored(StoreOutcome outcome, String sopInstanceUid, String seriesUid, String callingAeTitle);

    @LogMessage(level = Logger.Level.INFO)
    @Message(id = 1002, value = "instance %s of series %s changed: kept as version %d")
    void instanceChanged(String sopInstanceUid, String seriesUid, int version);

    @LogMessage(level = Logger.Level.ERROR)
    @Message(id = 1003, value = "orphan sweep of the spool %s failed; files without rows stay until the next start")
    void orphanSweepFailed(@Cause Throwable cause, Path spool);

    @LogMessage(level = Logger.Level.WARN)
    @Message(id = 1004, value = "orphan sweep: %d of %d spool files named by no instance row, moved to %s")
    void orphansQuarantined(int quarantined, int checked, Path folder);

    @LogMessage(level = Logger.Level.INFO)
    @Message(id = 1005, value = "orphan sweep: %d spool files, all named by instance rows")
    void noOrphans(int checked);

    @LogMessage(level = Logger.Level.DEBUG)
    @Message(id = 1006, value = "orphan spool file %s moved to %s")
    void orphanMoved(Path file, Path to);

    @LogMessage(level = Logger.Level.WARN)
    @Message(id = 1007, value = "spool file %s, named by no row, was where a new instance version goes: moved to %s")
    void unnamedFileInTheWay(Path target, Path movedTo);

    @LogMessage(level = Logger.Level.WARN)
    @Message(id = 1008, value = "cannot delete %s, placed for a row that was not committed (the orphan sweep at the next start takes it): %s")
    void uncommittedFileNotDeleted(Path file, String why);
}
