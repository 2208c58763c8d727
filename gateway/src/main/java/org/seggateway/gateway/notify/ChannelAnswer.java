package org.seggateway.gateway.notify;

/**
 * What the receiver of a notification answered, whatever its language.
 *
 * @param accepted   it took the notification (HTTP 2xx, HL7 AA): sent
 * @param refused    it refused the content itself (HL7 AE, FHIR 400/422): sending the same again cannot succeed, so
 *                   the notification is failed at once, without the remaining attempts
 * @param httpStatus the HTTP status, or null (no answer, or not HTTP)
 * @param ackCode    the HL7 acknowledgment code (MSA-1), or null
 * @param error      why it was not accepted; empty when accepted
 */
public record ChannelAnswer(boolean accepted, boolean refused, Integer httpStatus, String ackCode, String error) {

    public static ChannelAnswer accepted(Integer httpStatus, String ackCode) {
        return new ChannelAnswer(true, false, httpStatus, ackCode, "");
    }

    /** Not accepted; tried again after the backoff. */
    public static ChannelAnswer retry(Integer httpStatus, String ackCode, String error) {
        return new ChannelAnswer(false, false, httpStatus, ackCode, error);
    }

    /** Refused for its content; never tried again. */
    public static ChannelAnswer refused(Integer httpStatus, String ackCode, String error) {
        return new ChannelAnswer(false, true, httpStatus, ackCode, error);
    }
}
