package org.seggateway.gateway.database;

import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import javax.sql.DataSource;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.postgres.PostgresPlugin;

/** The one {@link Jdbi} of the gateway, over Quarkus' pooled data source; repositories take it or a {@code Handle}. */
@Singleton
class JdbiSetup {
    @Produces
    @Singleton
    Jdbi jdbi(DataSource dataSource) {
        return Jdbi.create(dataSource).installPlugin(new PostgresPlugin());
    }
}
