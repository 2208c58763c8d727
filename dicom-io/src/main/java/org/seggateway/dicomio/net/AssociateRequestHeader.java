package org.seggateway.dicomio.net;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ProtocolException;
import java.nio.charset.StandardCharsets;

/**
 * The AE titles of an A-ASSOCIATE-RQ PDU (PS3.8 9.3.2), read off the socket before PixelMed takes over, and the
 * A-ASSOCIATE-RJ (PS3.8 9.3.4) we answer with when we do not accept it.
 *
 * @param pdu the whole PDU as read, to be replayed to PixelMed
 */
record AssociateRequestHeader(String calledAeTitle, String callingAeTitle, byte[] pdu) {

    private static final int TYPE_ASSOCIATE_RQ = 0x01;
    private static final int FIXED_FIELDS_LENGTH = 68; // version, reserved, called AE, calling AE, reserved 32

    /** A-ASSOCIATE-RJ Result field. */
    static final int RESULT_PERMANENT = 1;
    static final int RESULT_TRANSIENT = 2;
    /** A-ASSOCIATE-RJ Source field. */
    static final int SOURCE_SERVICE_USER = 1;
    static final int SOURCE_SERVICE_PROVIDER_PRESENTATION = 3;
    /** Reasons with source service-user. */
    static final int REASON_NO_REASON_GIVEN = 1;
    static final int REASON_CALLING_AE_NOT_RECOGNIZED = 3;
    static final int REASON_CALLED_AE_NOT_RECOGNIZED = 7;
    /** Reason with source service-provider (presentation related). */
    static final int REASON_LOCAL_LIMIT_EXCEEDED = 2;

    /** The A-ASSOCIATE-RQ claims a length above the configured maximum; nothing past its header was read. */
    static final class TooLargeException extends ProtocolException {
        TooLargeException(String message) {
            super(message);
        }
    }

    /**
     * Reads the first PDU, at most {@code maxLength} bytes of it; null if the peer closed without sending anything
     * (a port probe). Throws {@link TooLargeException} (having read only the 6-byte header) when it claims more.
     */
    static AssociateRequestHeader read(InputStream in, int maxLength) throws IOException {
        byte[] head = in.readNBytes(6);
        if (head.length == 0) return null;
        if (head.length < 6) throw new EOFException("connection closed inside the first PDU header");
        int type = head[0] & 0xff;
        if (type != TYPE_ASSOCIATE_RQ)
            throw new ProtocolException(String.format("first PDU is type 0x%02X, not an A-ASSOCIATE-RQ", type));
        long length = ((head[2] & 0xffL) << 24) | ((head[3] & 0xff) << 16) | ((head[4] & 0xff) << 8) | (head[5] & 0xff);
        if (length < FIXED_FIELDS_LENGTH)
            throw new ProtocolException("A-ASSOCIATE-RQ with implausible length " + length);
        if (length > maxLength)
            throw new TooLargeException("A-ASSOCIATE-RQ of " + length + " bytes exceeds the limit of " + maxLength);
        byte[] pdu = new byte[6 + (int) length];
        System.arraycopy(head, 0, pdu, 0, 6);
        int read = in.readNBytes(pdu, 6, (int) length);
        if (read < length) throw new EOFException("connection closed inside the A-ASSOCIATE-RQ");
        return new AssociateRequestHeader(aeTitle(pdu, 10), aeTitle(pdu, 26), pdu);
    }

    /** Sends A-ASSOCIATE-RJ with the given Result, Source and Reason/Diag. fields. */
    static void writeReject(OutputStream out, int result, int source, int reason) throws IOException {
        out.write(new byte[] {0x03, 0, 0, 0, 0, 4, 0, (byte) result, (byte) source, (byte) reason});
        out.flush();
    }

    private static String aeTitle(byte[] pdu, int offset) {
        return new String(pdu, offset, 16, StandardCharsets.US_ASCII).strip();
    }
}
