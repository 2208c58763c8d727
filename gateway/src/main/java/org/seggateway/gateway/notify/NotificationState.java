package org.seggateway.gateway.notify;

import java.util.Locale;

/** States of a {@code notifications} row. */
public enum NotificationState {
    /** Not yet accepted by the webhook; tried again at next_attempt_at. */
    PENDING,
    /** The webhook answered 2xx. */
    SENT,
    /** Given up after max-attempts or max-age; last_error says why. */
    FAILED;

    public String column() {
        return name().toLowerCase(Locale.ROOT);
    }
}
