package org.seggateway.gateway.egress;

import java.time.Instant;

/**
 * One attempt to send a result to a destination, as recorded in {@code delivery_attempts}.
 *
 * @param dicomStatus the destination's C-STORE status, or null when there was none (not reachable, association
 *                    rejected or broken, file unreadable)
 * @param error       what went wrong, or empty
 * @param state       the delivery's state after the attempt
 * @param nextAttemptAt when a pending delivery is tried again (null otherwise)
 */
public record DeliveryAttempt(long deliveryId, String destination, Instant attemptedAt, Integer dicomStatus, String error,
                              DeliveryState state, Instant nextAttemptAt) {
}
