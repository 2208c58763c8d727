package org.seggateway.gateway.egress;

/**
 * Fired once new pending deliveries are committed (a result stored), so that the {@link DeliveryService} starts a pass
 * at once instead of at its next tick of {@code seg-gateway.delivery.check-every}.
 */
public record DeliveriesPending(int count) {
}
