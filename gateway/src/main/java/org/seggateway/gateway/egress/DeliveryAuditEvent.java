package org.seggateway.gateway.egress;

import java.util.LinkedHashMap;
import java.util.Map;
import org.seggateway.dicomio.net.DimseStatus;
import org.seggateway.gateway.audit.AuditEvent;
import org.seggateway.gateway.config.GatewayConfig;
import org.seggateway.gateway.egress.DeliveryRepository.Due;

/** The {@code delivery} audit row of an attempt: outcome delivered, retry or failed, with status, error and next attempt. */
final class DeliveryAuditEvent {
    private DeliveryAuditEvent() {}

    static AuditEvent of(Due due, GatewayConfig.Destination destination, DeliveryAttempt attempt) {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("deliveryId", due.id());
        details.put("resultId", due.resultId());
        details.put("destination", due.destination());
        details.put("segSopInstanceUid", due.segSopInstanceUid());
        details.put("attempt", due.attempts() + 1);
        if (attempt.dicomStatus() != null) details.put("status", DimseStatus.toHex(attempt.dicomStatus()));
        if (!attempt.error().isEmpty()) details.put("error", attempt.error());
        if (attempt.nextAttemptAt() != null) details.put("nextAttemptAt", attempt.nextAttemptAt().toString());
        String actor = destination == null ? "seg-gateway" : destination.callingAeTitle();
        String address = destination == null ? null : DimsePeer.address(destination);
        if (destination != null) destination.aeTitle().ifPresent(ae -> details.put("calledAeTitle", ae));
        if (destination != null && destination.kind() == GatewayConfig.DestinationKind.STOW_RS) details.put("via", "stow-rs");
        String outcome = switch (attempt.state()) {
            case DELIVERED -> "delivered";
            case PENDING -> "retry";
            case FAILED -> "failed";
        };
        return new AuditEvent("delivery", actor, address, due.studyInstanceUid(), outcome, details);
    }
}
