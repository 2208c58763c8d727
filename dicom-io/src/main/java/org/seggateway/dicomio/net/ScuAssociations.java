package org.seggateway.dicomio.net;

import com.pixelmed.network.Association;
import com.pixelmed.network.AssociationFactory;
import com.pixelmed.network.DicomNetworkException;
import com.pixelmed.network.PresentationContext;
import java.io.IOException;
import java.net.Socket;
import java.util.LinkedList;
import java.util.List;

/**
 * Opens and ends the associations of our SCU: PixelMed's association with TCP_NODELAY and the read timeout of
 * {@link SenderOptions} set on the socket PixelMed opens, or ours over TLS ({@link TlsAssociationInitiator}); release,
 * abort and the socket's close.
 */
final class ScuAssociations {
    static final List<String> UNCOMPRESSED = List.of(StoragePresentationContextPolicy.EXPLICIT_VR_LITTLE_ENDIAN,
            StoragePresentationContextPolicy.IMPLICIT_VR_LITTLE_ENDIAN, "1.2.840.10008.1.2.2");

    private ScuAssociations() {}

    /** Associates with {@code peer}; throws {@link DicomAssociationException} naming our AE title and the peer. */
    static Association open(SenderOptions options, RemoteAe peer, List<PresentationContext> contexts)
            throws DicomAssociationException {
        Association association;
        try {
            association = options.tls() != null
                    ? TlsAssociationInitiator.open(options.tls(), peer, options.callingAeTitle(), options.maxPduLength(),
                            contexts, options.readTimeout())
                    : AssociationFactory.createNewAssociation(peer.host(), peer.port(), peer.aeTitle(),
                    options.callingAeTitle(), options.maxPduLength(), 0, 0, new LinkedList<>(contexts), null, false,
                    null, null);
        } catch (DicomNetworkException | IOException e) {
            throw new DicomAssociationException("cannot associate as " + options.callingAeTitle() + " with " + peer
                    + (options.tls() == null ? "" : " over TLS") + ": " + message(e), e);
        }
        Socket socket = PixelMedTuning.socketOf(association);
        if (socket != null) {
            try {
                socket.setTcpNoDelay(options.tcpNoDelay());
                socket.setSoTimeout((int) Math.min(Integer.MAX_VALUE, options.readTimeout().toMillis()));
            } catch (IOException e) {
                closeSocket(association);
                throw new DicomAssociationException("connection to " + peer + " failed: " + e.getMessage(), e);
            }
        }
        return association;
    }

    /** A presentation context proposing the SOP class in the transfer syntaxes. */
    static PresentationContext context(int id, String sopClassUid, List<String> transferSyntaxes) {
        return new PresentationContext((byte) id, sopClassUid, new LinkedList<>(transferSyntaxes));
    }

    /** The one context of a query/retrieve or verification SOP class, in the two uncompressed little endian syntaxes. */
    static PresentationContext singleContext(String sopClassUid) {
        return context(1, sopClassUid, UNCOMPRESSED.subList(0, 2));
    }

    static void release(Association association) throws DicomNetworkException {
        association.release();
    }

    static void abort(Association association) {
        Socket socket = PixelMedTuning.socketOf(association);
        if (socket != null && socket.isClosed()) return; // the peer aborted and PixelMed closed it already
        try {
            association.abort();
        } catch (DicomNetworkException | RuntimeException ignored) {
            // the socket is closed in any case
        }
    }

    static void closeSocket(Association association) {
        Socket socket = PixelMedTuning.socketOf(association);
        if (socket == null) return;
        try {
            socket.close();
        } catch (IOException ignored) {
            // already closed
        }
    }

    static DicomAssociationException failed(String what, RemoteAe peer, Exception e) {
        return new DicomAssociationException(what + " with " + peer + " failed: " + message(e), e);
    }

    static String message(Exception e) {
        return e.getMessage() == null ? e.toString() : e.getMessage();
    }
}
