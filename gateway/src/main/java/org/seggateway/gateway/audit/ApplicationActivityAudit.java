package org.seggateway.gateway.audit;

import static org.seggateway.gateway.audit.AuditLog.LOG;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.Map;

/**
 * Records the gateway's start and stop in the audit trail ({@code application.start}, {@code application.stop}), the
 * operating system user that runs it as the actor. A stop that cannot be recorded (database gone) is only logged.
 */
@ApplicationScoped
public class ApplicationActivityAudit {
    public static final String START = "application.start", STOP = "application.stop";

    private final AuditTrail trail;

    ApplicationActivityAudit(AuditTrail trail) {
        this.trail = trail;
    }

    void started(@Observes StartupEvent event) {
        trail.append(event(START));
    }

    void stopping(@Observes ShutdownEvent event) {
        try {
            trail.append(event(STOP));
        } catch (Exception e) {
            LOG.stopNotRecorded(e.toString());
        }
    }

    private static AuditEvent event(String type) {
        return new AuditEvent(type, System.getProperty("user.name", "unknown"), null, null, "success",
                Map.of("pid", ProcessHandle.current().pid()));
    }
}
