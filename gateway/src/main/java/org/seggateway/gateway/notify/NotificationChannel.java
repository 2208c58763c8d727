package org.seggateway.gateway.notify;

import java.util.Locale;

/** The language a {@code notifications} row is sent in ({@code notifications.channel}). */
public enum NotificationChannel {
    /** JSON POST of one delivery's outcome to a webhook ({@code seg-gateway.webhooks}). */
    WEBHOOK,
    /** HL7 v2 ORU^R01 of a delivered result over MLLP to a RIS ({@code seg-gateway.hl7}). */
    HL7,
    /** FHIR R4 transaction bundle of a delivered result to a FHIR server ({@code seg-gateway.fhir}). */
    FHIR;

    public String column() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static NotificationChannel ofColumn(String column) {
        return valueOf(column.toUpperCase(Locale.ROOT));
    }
}
