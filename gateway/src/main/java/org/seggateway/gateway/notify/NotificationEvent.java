package org.seggateway.gateway.notify;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import org.seggateway.gateway.egress.DeliveryState;

/** The delivery outcomes a webhook can be told of; {@code seg-gateway.webhooks.NAME.events} names them. */
public enum NotificationEvent {
    /** The destination stored the SEG. */
    DELIVERED,
    /** The delivery was given up (the destination refused the SEG itself). */
    FAILED;

    /** The event type in the body and in {@code notifications.event_type}, e.g. {@code delivery.delivered}. */
    public String type() {
        return "delivery." + configName();
    }

    /** The name in configuration, e.g. {@code delivered}. */
    public String configName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The event of a delivery that changed to {@code state}; none for pending. */
    public static Optional<NotificationEvent> of(DeliveryState state) {
        return switch (state) {
            case DELIVERED -> Optional.of(DELIVERED);
            case FAILED -> Optional.of(FAILED);
            case PENDING -> Optional.empty();
        };
    }

    public static NotificationEvent ofConfigName(String name) {
        return Arrays.stream(values()).filter(e -> e.configName().equals(name.trim().toLowerCase(Locale.ROOT))).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown webhook event '" + name + "'; one of "
                        + Arrays.stream(values()).map(NotificationEvent::configName).toList()));
    }
}
