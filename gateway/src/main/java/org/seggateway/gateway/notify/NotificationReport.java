package org.seggateway.gateway.notify;

import java.time.Duration;
import org.jboss.logging.Logger;
import org.seggateway.gateway.config.GatewayConfig;
import org.seggateway.gateway.notify.NotificationRepository.Due;

/** The log lines of notification attempts; they name the webhook and its host, never its URL's path or query. */
final class NotificationReport {
    private static final Logger LOG = Logger.getLogger(NotificationSender.class);

    private NotificationReport() {}

    static void attempted(Due due, GatewayConfig.Webhook webhook, NotificationAttempt attempt) {
        String where = due.webhook() + (webhook == null ? "" : " (" + WebhookPost.hostAndPort(webhook.url()) + ")");
        switch (attempt.state()) {
            case SENT -> LOG.infof("notification %d (%s of delivery %d) sent to webhook %s: HTTP %d", due.id(), due.eventType(),
                    due.deliveryId(), where, attempt.httpStatus());
            case PENDING -> LOG.warnf("notification %d to webhook %s failed (attempt %d): %s; next attempt at %s", due.id(), where,
                    attempt.attempt(), attempt.error(), attempt.nextAttemptAt());
            case FAILED -> LOG.errorf("notification %d (%s of delivery %d) to webhook %s marked failed: %s", due.id(),
                    due.eventType(), due.deliveryId(), where, attempt.error());
        }
    }

    static void poisoned(Due due, Throwable cause, String error) {
        LOG.errorf(cause, "notification %d to webhook %s marked failed: %s", due.id(), due.webhook(), error);
    }

    static void claimLost(Due due, Duration lease) {
        LOG.warnf("notification %d to webhook %s: claim lost (lease of %s ran out and another sender took it); "
                + "this attempt is not recorded", due.id(), due.webhook(), lease);
    }
}
