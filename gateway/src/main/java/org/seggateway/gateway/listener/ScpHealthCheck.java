package org.seggateway.gateway.listener;

import io.smallrye.health.api.HealthGroup;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;
import org.seggateway.gateway.config.GatewayConfig;

/** Readiness: the DICOM listener accepts associations (up, marked disabled, when it is switched off). */
@Readiness
@HealthGroup("ingest")
@ApplicationScoped
public class ScpHealthCheck implements HealthCheck {
    private final DicomListener listener;
    private final GatewayConfig config;

    ScpHealthCheck(DicomListener listener, GatewayConfig config) {
        this.listener = listener;
        this.config = config;
    }

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder response = HealthCheckResponse.named("DICOM SCP");
        if (!listener.enabled()) return response.up().withData("enabled", false).build();
        return response.status(listener.isListening()).withData("enabled", true)
                .withData("aeTitle", config.scp().aeTitle()).withData("port", listener.port()).build();
    }
}
