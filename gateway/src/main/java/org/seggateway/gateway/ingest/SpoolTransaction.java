package org.seggateway.gateway.ingest;

import java.io.IOException;
import java.sql.SQLException;
import java.util.concurrent.Callable;
import org.jdbi.v3.core.Handle;
import org.seggateway.gateway.database.Transactions;

/**
 * Work on spool files and their rows in one database transaction, which throws what such work throws: an
 * {@link IOException} from the spool, an {@link SQLException} from the audit trail, or an unchecked one.
 */
final class SpoolTransaction {
    private SpoolTransaction() {
    }

    @FunctionalInterface
    interface Work<R> {
        R run(Handle h) throws IOException, SQLException;
    }

    /** {@link #run(Transactions, Work)} on a handle the caller holds open. */
    static <R> R run(Handle handle, Work<R> work) throws IOException, SQLException {
        return rethrown(() -> handle.inTransaction(work::run));
    }

    static <R> R run(Transactions transactions, Work<R> work) throws IOException, SQLException {
        return rethrown(() -> transactions.inTransaction(work::run));
    }

    private static <R> R rethrown(Callable<R> transaction) throws IOException, SQLException {
        try {
            return transaction.call();
        } catch (IOException | SQLException | RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException("unexpected from spool work: " + e, e); // Work throws no other
        }
    }
}
