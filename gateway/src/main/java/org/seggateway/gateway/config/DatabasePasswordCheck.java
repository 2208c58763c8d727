package org.seggateway.gateway.config;

import io.quarkus.flyway.FlywayConfigurationCustomizer;
import io.quarkus.runtime.LaunchMode;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.config.ConfigProvider;
import org.flywaydb.core.api.configuration.FluentConfiguration;

/**
 * No default database password outside dev and test: a production start without {@code quarkus.datasource.password}
 * stops with a clear message before the first connection (Flyway's migration at start is the first), instead of an
 * authentication error deep in a stack trace. {@code seg-gateway.database.allow-no-password=true} allows it for
 * password-less logins (client certificates).
 */
@Singleton
public class DatabasePasswordCheck implements FlywayConfigurationCustomizer {
    private final GatewayConfig config;

    DatabasePasswordCheck(GatewayConfig config) {
        this.config = config;
    }

    @Override
    public void customize(FluentConfiguration flyway) {
        if (LaunchMode.current() != LaunchMode.NORMAL) return;
        boolean set = ConfigProvider.getConfig().getOptionalValue("quarkus.datasource.password", String.class)
                .filter(p -> !p.isBlank()).isPresent();
        if (set) return;
        if (config.database().allowNoPassword()) ConfigLog.LOG.startingWithoutDatabasePassword();
        else
            throw new IllegalStateException("no database password configured: set quarkus.datasource.password (environment"
                    + " QUARKUS_DATASOURCE_PASSWORD, or config/application.properties readable only by the gateway's user); the"
                    + " gateway ships none outside dev and test. For a password-less login (client certificate) set"
                    + " seg-gateway.database.allow-no-password=true");
    }
}
