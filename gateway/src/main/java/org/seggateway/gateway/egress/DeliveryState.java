package org.seggateway.gateway.egress;

/** States of a {@code deliveries} row. */
public enum DeliveryState {
    /** Not yet delivered; tried again at next_attempt_at. */
    PENDING,
    /** The destination answered Success or a warning. */
    DELIVERED,
    /** The destination refused the object itself repeatedly; not tried again automatically. */
    FAILED;

    public String column() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
