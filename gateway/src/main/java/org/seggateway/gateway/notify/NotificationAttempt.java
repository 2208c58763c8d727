package org.seggateway.gateway.notify;

import java.time.Instant;

/**
 * One attempt to send a notification to its receiver (webhook POST, HL7 over MLLP, FHIR POST).
 *
 * @param httpStatus    the HTTP response status, or null when there was none (not reachable, timed out)
 * @param error         what went wrong (for a failed notification: why it was given up), or empty
 * @param state         the notification's state after the attempt
 * @param nextAttemptAt when a pending notification is tried again (null otherwise)
 * @param channel       the notification's language
 * @param ackCode       the HL7 acknowledgment code of the answer, or null
 */
public record NotificationAttempt(long notificationId, String webhook, String eventType, long deliveryId, int attempt,
                                  Instant attemptedAt, Integer httpStatus, String error, NotificationState state,
                                  Instant nextAttemptAt, NotificationChannel channel, String ackCode) {
}
