package org.seggateway.dicomio.net;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * How a {@link DicomSender} associates.
 *
 * @param callingAeTitle   our AE title
 * @param maxPduLength     the maximum PDU length we offer to receive
 * @param tcpNoDelay       disable Nagle on the connection (PixelMed never does; off costs ~40 ms per instance to
 *                         DCMTK-based peers). Only for measurements is there a reason to turn it off
 * @param readTimeout      how long to wait for any response from the peer before giving up the association
 * @param transferSyntaxes the transfer syntaxes uncompressed objects are offered in, in this order (see
 *                         {@link StoreTransferSyntaxes}); each is sent in the one the peer accepted
 * @param tls              DICOM TLS to the peer; null for plain TCP
 */
public record SenderOptions(String callingAeTitle, int maxPduLength, boolean tcpNoDelay, Duration readTimeout,
                            List<String> transferSyntaxes, SenderTls tls) {

    public SenderOptions {
        callingAeTitle = AeTitles.check(callingAeTitle, "calling AE title");
        if (maxPduLength < 4096 || maxPduLength > 1 << 24)
            throw new IllegalArgumentException("maxPduLength must be 4096..16777216: " + maxPduLength);
        Objects.requireNonNull(readTimeout, "readTimeout");
        if (readTimeout.isNegative() || readTimeout.isZero())
            throw new IllegalArgumentException("readTimeout must be positive: " + readTimeout);
        Objects.requireNonNull(transferSyntaxes, "transferSyntaxes");
        List<String> writable = StoreTransferSyntaxes.writable(transferSyntaxes);
        if (writable.isEmpty() || writable.size() != transferSyntaxes.size())
            throw new IllegalArgumentException("transfer syntaxes must be distinct ones of " + StoreTransferSyntaxes.WRITABLE
                    + ": " + transferSyntaxes);
        transferSyntaxes = writable;
    }

    public SenderOptions(String callingAeTitle, int maxPduLength, boolean tcpNoDelay, Duration readTimeout) {
        this(callingAeTitle, maxPduLength, tcpNoDelay, readTimeout, StoreTransferSyntaxes.DEFAULT, null);
    }

    /** 64 KiB PDUs, TCP_NODELAY on, 60 s read timeout, explicit then implicit VR little endian, plain TCP. */
    public static SenderOptions defaults(String callingAeTitle) {
        return new SenderOptions(callingAeTitle, 65536, true, Duration.ofSeconds(60));
    }

    public SenderOptions withTcpNoDelay(boolean on) {
        return new SenderOptions(callingAeTitle, maxPduLength, on, readTimeout, transferSyntaxes, tls);
    }

    public SenderOptions withReadTimeout(Duration timeout) {
        return new SenderOptions(callingAeTitle, maxPduLength, tcpNoDelay, timeout, transferSyntaxes, tls);
    }

    public SenderOptions withTransferSyntaxes(List<String> syntaxes) {
        return new SenderOptions(callingAeTitle, maxPduLength, tcpNoDelay, readTimeout, syntaxes, tls);
    }

    public SenderOptions withTls(SenderTls newTls) {
        return new SenderOptions(callingAeTitle, maxPduLength, tcpNoDelay, readTimeout, transferSyntaxes, newTls);
    }
}
