package org.seggateway.gateway.database;

import jakarta.enterprise.context.ApplicationScoped;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.HandleCallback;
import org.jdbi.v3.core.HandleConsumer;
import org.jdbi.v3.core.Jdbi;

/**
 * The gateway's one way to run work in a database transaction: committed when the work returns, rolled back when it
 * throws (the exception goes on to the caller). Work inside a transaction touches only the database: a C-STORE, an
 * HTTP call or a Kafka send happens before or after, never within.
 */
@ApplicationScoped
public class Transactions {
    private final Jdbi jdbi;

    Transactions(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    public <R, X extends Exception> R inTransaction(HandleCallback<R, X> work) throws X {
        return jdbi.inTransaction(work);
    }

    public <X extends Exception> void useTransaction(HandleConsumer<X> work) throws X {
        jdbi.useTransaction(work);
    }

    /** One statement or a read that needs no transaction of its own (auto-commit). */
    public <R, X extends Exception> R withHandle(HandleCallback<R, X> work) throws X {
        return jdbi.withHandle(work);
    }

    /** Opens a handle the caller closes; for code that must hold one across several calls of its own. */
    public Handle open() {
        return jdbi.open();
    }
}
