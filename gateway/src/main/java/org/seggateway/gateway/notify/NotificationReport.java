package org.seggateway.gateway.notify;

import java.time.Duration;
import org.seggateway.gateway.config.GatewayConfig;
import org.seggateway.gateway.notify.NotificationRepository.Due;

/** The log lines of notification attempts; they name the webhook and its host, never its URL's path or query. */
final class NotificationReport {
    private static final NotifyLog LOG = NotifyLog.LOG;

    private NotificationReport() {}

    static void attempted(Due due, GatewayConfig.Webhook webhook, NotificationAttempt attempt) {
        String where = due.webhook() + (webhook == null ? "" : " (" + WebhookPost.hostAndPort(webhook.url()) + ")");
        switch (attempt.state()) {
            case SENT -> LOG.sent(due.id(), due.eventType(), due.deliveryId(), where, attempt.httpStatus());
            case PENDING -> LOG.attemptFailed(due.id(), where, attempt.attempt(), attempt.error(), attempt.nextAttemptAt());
            case FAILED -> LOG.gaveUp(due.id(), due.eventType(), due.deliveryId(), where, attempt.error());
        }
    }

    static void poisoned(Due due, Throwable cause, String error) {
        LOG.notHandled(cause, due.id(), due.webhook(), error);
    }

    static void claimLost(Due due, Duration lease) {
        LOG.claimLost(due.id(), due.webhook(), lease);
    }
}
