package org.seggateway.gateway.notify;

import java.time.Duration;
import org.seggateway.gateway.notify.NotificationRepository.Due;

/**
 * The log lines of notification attempts; they name the receiver and its host and port, never a URL's path or query
 * or a token. Webhooks log {@link NotifyLog}'s events, HL7/FHIR result messages {@link ResultMessageLog}'s.
 */
final class NotificationReport {
    private static final NotifyLog LOG = NotifyLog.LOG;
    private static final ResultMessageLog RESULTS = ResultMessageLog.LOG;

    private NotificationReport() {}

    static void attempted(Due due, String address, NotificationAttempt attempt) {
        String where = due.webhook() + (address == null ? "" : " (" + address + ")");
        if (due.channel() == NotificationChannel.WEBHOOK) {
            switch (attempt.state()) {
                case SENT -> LOG.sent(due.id(), due.eventType(), due.deliveryId(), where, attempt.httpStatus());
                case PENDING -> LOG.attemptFailed(due.id(), where, attempt.attempt(), attempt.error(), attempt.nextAttemptAt());
                case FAILED -> LOG.gaveUp(due.id(), due.eventType(), due.deliveryId(), where, attempt.error());
            }
            return;
        }
        String channel = due.channel().column();
        switch (attempt.state()) {
            case SENT -> RESULTS.sent(due.id(), channel, due.resultId(), where,
                    attempt.ackCode() != null ? attempt.ackCode() : "HTTP " + attempt.httpStatus());
            case PENDING -> RESULTS.attemptFailed(due.id(), channel, where, attempt.attempt(), attempt.error(), attempt.nextAttemptAt());
            case FAILED -> RESULTS.gaveUp(due.id(), channel, due.resultId(), where, attempt.error());
        }
    }

    static void poisoned(Due due, Throwable cause, String error) {
        if (due.channel() == NotificationChannel.WEBHOOK) LOG.notHandled(cause, due.id(), due.webhook(), error);
        else RESULTS.notHandled(cause, due.id(), due.channel().column(), due.webhook(), error);
    }

    static void claimLost(Due due, Duration lease) {
        if (due.channel() == NotificationChannel.WEBHOOK) LOG.claimLost(due.id(), due.webhook(), lease);
        else RESULTS.claimLost(due.id(), due.channel().column(), due.webhook(), lease);
    }
}
