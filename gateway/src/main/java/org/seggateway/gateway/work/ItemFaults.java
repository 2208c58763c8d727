package org.seggateway.gateway.work;

import java.io.IOException;
import java.sql.SQLException;
import org.apache.kafka.common.KafkaException;
import org.jdbi.v3.core.JdbiException;

/**
 * Tells a failure of one work item (a job, a result, a delivery, a notification) from a failure of what every item
 * needs (PostgreSQL, Kafka, room on the spool disk). Contract of every loop that picks up work: a throwable attributable to the item fails that
 * item alone, with the reason recorded on it, and the loop goes on with the next; an outage leaves every item as it was,
 * to be tried again once the database or broker answers.
 */
public final class ItemFaults {
    private ItemFaults() {
    }

    /**
     * True unless the throwable is, or was caused by, a database (JDBC or Jdbi) or Kafka failure, a full spool disk, or an interruption.
     * Errors count as the item's too (an {@link OutOfMemoryError} while assembling one volume): the callers also count
     * them as loop errors, see {@link LoopErrors}.
     */
    public static boolean attributableToItem(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (c instanceof SQLException || c instanceof JdbiException || c instanceof KafkaException || c instanceof InterruptedException) return false;
            if (c instanceof IOException && c.getMessage() != null && c.getMessage().contains("No space left on device")) return false;
        }
        return true;
    }

    /** A reason to record: the throwable's class and message, e.g. {@code ClassCastException: ...}. */
    public static String describe(Throwable t) {
        String message = t.getMessage();
        return t.getClass().getSimpleName() + (message == null || message.isBlank() ? "" : ": " + message);
    }
}
