package org.seggateway.gateway.jobs;

import java.sql.Connection;
import java.sql.SQLException;
import org.jdbi.v3.core.ConnectionFactory;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.HandleCallback;
import org.jdbi.v3.core.Handles;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.JdbiException;
import org.jdbi.v3.postgres.PostgresPlugin;

/**
 * Runs the Jdbi work of a repository on a JDBC connection of a caller that still works with {@link Connection}s (other
 * packages, within their own transaction): the connection is neither closed nor committed nor rolled back here, and a
 * database failure reaches the caller as the {@link SQLException} it expects.
 */
final class BorrowedConnection {
    private BorrowedConnection() {
    }

    static <R> R with(Connection c, HandleCallback<R, SQLException> work) throws SQLException {
        Jdbi jdbi = Jdbi.create(new ConnectionFactory() {
            @Override
            public Connection openConnection() {
                return c;
            }

            @Override
            public void closeConnection(Connection connection) {
                // the caller's, closed by the caller
            }
        }).installPlugin(new PostgresPlugin());
        jdbi.getConfig(Handles.class).setForceEndTransactions(false);
        try (Handle h = jdbi.open()) {
            return work.withHandle(h);
        } catch (JdbiException e) {
            if (e.getCause() instanceof SQLException cause) throw cause;
            throw e;
        }
    }
}
