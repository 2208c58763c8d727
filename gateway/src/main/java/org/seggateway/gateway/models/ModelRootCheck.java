package org.seggateway.gateway.models;

import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.ArrayList;
import java.util.List;
import org.seggateway.gateway.config.GatewayConfig;

/**
 * Refuses to start when a configured route names a model package outside {@code seg-gateway.model-root} (by an absolute
 * path, {@code ..} or a symbolic link). A package folder that does not exist is refused at start by the configuration's
 * cross-checks ({@code ConfigurationCrossChecks}); a package whose files are broken is no start error: its jobs fail
 * with the reason.
 */
@ApplicationScoped
public class ModelRootCheck {
    private final GatewayConfig config;
    private final ModelPackages models;

    ModelRootCheck(GatewayConfig config, ModelPackages models) {
        this.config = config;
        this.models = models;
    }

    void check(@Observes @Priority(2) StartupEvent event) {
        List<String> problems = new ArrayList<>();
        config.routes().forEach((name, route) -> {
            for (String model : route.models()) {
                try {
                    models.resolve(model);
                } catch (ModelPackageException e) {
                    problems.add("seg-gateway.routes." + name + ".models: " + e.getMessage());
                }
            }
        });
        if (!problems.isEmpty()) throw new IllegalStateException(String.join("; ", problems)
                + ". Set seg-gateway.model-root to the folder that holds the model packages and name them relative to it");
    }
}
