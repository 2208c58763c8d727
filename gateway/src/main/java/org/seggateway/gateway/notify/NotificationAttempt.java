package org.seggateway.gateway.notify;

import java.time.Instant;

/**
 * One attempt to POST a notification to its webhook.
 *
 * @param httpStatus    the webhook's response status, or null when there was none (not reachable, timed out)
 * @param error         what went wrong (for a failed notification: why it was given up), or empty
 * @param state         the notification's state after the attempt
 * @param nextAttemptAt when a pending notification is tried again (null otherwise)
 */
public record NotificationAttempt(long notificationId, String webhook, String eventType, long deliveryId, int attempt,
                                  Instant attemptedAt, Integer httpStatus, String error, NotificationState state,
                                  Instant nextAttemptAt) {
}
