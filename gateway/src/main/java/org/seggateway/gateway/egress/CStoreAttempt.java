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

/**
 * One C-STORE of a delivery's objects to its destination, over an association of its own: the SEG, then the measurement
 * report where the result has one. The answer is the first object's that was not stored, or the SEG's when both were:
 * the delivery is delivered only when the destination took every object, and sent again whole otherwise (the same SOP
 * Instance UIDs, so a PACS that already has one keeps one). Never throws.
 */
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
            List<Path> files = due.srPath() == null ? List.of(Path.of(due.segPath()))
                    : List.of(Path.of(due.segPath()), Path.of(due.srPath()));
            List<StoreOutcome> outcomes = new DicomSender(destination.callingAeTitle()).store(peer, files).outcomes();
            for (int i = 0; i < outcomes.size(); i++)
                if (!outcomes.get(i).stored()) return answer(outcomes.get(i), i == 0 ? null : "measurement report: ");
            if (outcomes.size() < files.size())
                return new Answer(null, "the destination answered for " + outcomes.size() + " of " + files.size() + " objects");
            return answer(outcomes.getFirst(), null);
        } catch (IOException | RuntimeException e) {
            return new Answer(null, e.getMessage() == null ? e.toString() : e.getMessage());
        }
    }

    private static Answer answer(StoreOutcome outcome, String prefix) {
        String error = outcome.error() == null || prefix == null ? outcome.error() : prefix + outcome.error();
        return new Answer(outcome.status() == DimseStatus.NO_RESPONSE ? null : outcome.status(), error);
    }
}
