package org.seggateway.gateway.health;

import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import javax.sql.DataSource;
import io.smallrye.health.api.HealthGroup;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Readiness "database": PostgreSQL answers (instances cannot be acknowledged without it). Also in the health group
 * {@code ingest} ({@code /q/health/group/ingest}: what receiving needs, without Kafka).
 */
@Readiness
@HealthGroup("ingest")
@ApplicationScoped
public class DatabaseReadiness implements HealthCheck {
    public static final String NAME = "database";
    private final DataSource dataSource;

    DatabaseReadiness(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    @Override
    public HealthCheckResponse call() {
        try (Connection c = dataSource.getConnection()) {
            boolean valid = c.isValid(3);
            return HealthCheckResponse.named(NAME).status(valid).withData("database", c.getMetaData().getURL()).build();
        } catch (Exception e) {
            return HealthCheckResponse.named(NAME).down().withData("error", String.valueOf(e.getMessage())).build();
        }
    }
}
