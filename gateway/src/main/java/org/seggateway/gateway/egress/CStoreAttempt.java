package org.seggateway.gateway.egress;

import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.seggateway.dicomio.net.DicomSender;
import org.seggateway.dicomio.net.DimseStatus;
import org.seggateway.dicomio.net.RemoteAe;
import org.seggateway.dicomio.net.StoreOutcome;
import org.seggateway.gateway.config.GatewayConfig;
import org.seggateway.gateway.egress.DeliveryRepository.Due;

/** One C-STORE of a delivery's SEG file to its destination, over an association of its own. Never throws. */
@ApplicationScoped
public class CStoreAttempt {

    /** What the destination said: its status, or null when there was none, and the error text. */
    public record Answer(Integer status, String error) {}

    public Answer send(Due due, GatewayConfig.Destination destination) {
        if (destination == null)
            return new Answer(null, "destination '" + due.destination() + "' is not configured (seg-gateway.destinations."
                    + due.destination() + ".*)");
        try {
            RemoteAe peer = new RemoteAe(destination.host(), destination.port(), destination.aeTitle());
            StoreOutcome outcome = new DicomSender(destination.callingAeTitle()).store(peer, List.of(Path.of(due.segPath())))
                    .outcomes().getFirst();
            return new Answer(outcome.status() == DimseStatus.NO_RESPONSE ? null : outcome.status(), outcome.error());
        } catch (IOException | RuntimeException e) {
            return new Answer(null, e.getMessage() == null ? e.toString() : e.getMessage());
        }
    }
}
