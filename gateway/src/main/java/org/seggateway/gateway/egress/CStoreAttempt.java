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
 * Instance UIDs, so a PACS that already has one keeps one). A destination that accepts no presentation context for the
 * report (it takes no Enhanced SR) gets the SEG alone: that is its configuration, not a fault to retry. The transfer
 * syntaxes offered and TLS are the destination's ({@link DestinationSenders}). Never throws.
 */
@ApplicationScoped
public class CStoreAttempt {
    private final DestinationSenders senders;

    CStoreAttempt(DestinationSenders senders) {
        this.senders = senders;
    }

    /**
     * What the destination said: its DICOM status, or null when there was none, and the error text; a STOW-RS
     * destination's HTTP status too ({@link StowAttempt}), null for C-STORE.
     */
    public record Answer(Integer status, String error, Integer httpStatus) {
        public Answer(Integer status, String error) {
            this(status, error, null);
        }
    }

    public Answer send(Due due, GatewayConfig.Destination destination) {
        if (destination == null)
            return new Answer(null, "destination '" + due.destination() + "' is not configured (seg-gateway.destinations."
                    + due.destination() + ".*)");
        try {
            RemoteAe peer = DimsePeer.of(destination);
            List<Path> files = due.srPath() == null ? List.of(Path.of(due.segPath()))
                    : List.of(Path.of(due.segPath()), Path.of(due.srPath()));
            List<StoreOutcome> outcomes = new DicomSender(senders.options(due.destination(), destination,
                    destination.callingAeTitle())).store(peer, files).outcomes();
            for (StoreOutcome o : outcomes) {
                boolean report = o.file().equals(files.getLast()) && files.size() > 1;
                if (report && o.status() == DimseStatus.NOT_NEGOTIATED) {
                    EgressLog.LOG.measurementReportNotNegotiated(due.id(), due.destination(), o.error());
                    continue;
                }
                if (!o.stored()) return answer(o, report ? "measurement report: " : null);
            }
            if (outcomes.size() < files.size())
                return new Answer(null, "the destination answered for " + outcomes.size() + " of " + files.size() + " objects");
            return answer(outcomes.stream().filter(o -> o.file().equals(files.getFirst())).findFirst().orElseThrow(), null);
        } catch (IOException | RuntimeException e) {
            return new Answer(null, e.getMessage() == null ? e.toString() : e.getMessage());
        }
    }

    private static Answer answer(StoreOutcome outcome, String prefix) {
        String error = outcome.error() == null || prefix == null ? outcome.error() : prefix + outcome.error();
        return new Answer(outcome.status() < 0 ? null : outcome.status(), error);
    }
}
