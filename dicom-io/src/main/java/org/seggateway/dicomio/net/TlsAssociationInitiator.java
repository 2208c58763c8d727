package org.seggateway.dicomio.net;

import com.pixelmed.network.Association;
import com.pixelmed.network.DicomNetworkException;
import com.pixelmed.network.PresentationContext;
import java.io.IOException;
import java.net.Socket;
import java.time.Duration;
import java.util.LinkedList;
import java.util.List;

/**
 * The requesting side of an association over a TLS socket of our own ({@link SenderTls}). PixelMed's initiator only
 * knows the JVM-wide default TLS socket factory with its own (pre-BCP 195) cipher and protocol choice, so this one opens
 * the socket itself and then does what PixelMed's initiator does: A-ASSOCIATE-RQ out, A-ASSOCIATE-AC/RJ/ABORT in
 * ({@link AssociationPdus}). Once associated, everything else is PixelMed's {@link Association}.
 */
final class TlsAssociationInitiator extends Association {
    /** Far above any A-ASSOCIATE-AC of up to 128 contexts; a peer claiming more is not believed. */
    private static final int MAX_ANSWER_LENGTH = 1 << 20;

    private final String host;
    private final int port;

    private TlsAssociationInitiator(Socket socket, RemoteAe peer, String callingAeTitle, int ourMaxPduLength,
                                    List<PresentationContext> proposed) throws IOException, DicomNetworkException {
        this.host = peer.host();
        this.port = peer.port();
        this.socket = socket;
        this.calledAETitle = peer.aeTitle();
        this.callingAETitle = callingAeTitle;
        this.presentationContexts = new LinkedList<>(proposed);
        this.scuSCPRoleSelections = new LinkedList<>();
        this.in = socket.getInputStream();
        this.out = socket.getOutputStream();
        out.write(AssociationPdus.request(peer.aeTitle(), callingAeTitle, ourMaxPduLength, proposed));
        out.flush();
        byte[] header = new byte[6];
        readInsistently(in, header, 0, 6, "type and length of PDU");
        int type = header[0] & 0xff;
        int length = (int) (((header[2] & 0xffL) << 24) | ((header[3] & 0xff) << 16) | ((header[4] & 0xff) << 8) | (header[5] & 0xff));
        if (length < 0 || length > MAX_ANSWER_LENGTH)
            throw new DicomNetworkException("answer to A-ASSOCIATE-RQ claims " + (length & 0xffffffffL) + " bytes");
        byte[] pdu = getRestOfPDU(in, header, length);
        switch (type) {
            case AssociationPdus.ASSOCIATE_AC -> {
                AssociationPdus.Accept accept = AssociationPdus.accept(pdu, proposed);
                presentationContexts = new LinkedList<>(accept.contexts());
                maximumLengthReceived = accept.maxPduLength();
            }
            case AssociationPdus.ASSOCIATE_RJ -> throw new DicomNetworkException("A-ASSOCIATE-RJ: " + AssociationPdus.describe(pdu));
            case AssociationPdus.ABORT -> throw new DicomNetworkException("A-ABORT: " + AssociationPdus.describe(pdu));
            default -> throw new DicomNetworkException("Unexpected PDU type 0x" + Integer.toHexString(type)
                    + " in answer to A-ASSOCIATE-RQ");
        }
    }

    /** Connects over TLS, associates; the socket is closed when either fails. */
    static Association open(SenderTls tls, RemoteAe peer, String callingAeTitle, int ourMaxPduLength,
                            List<PresentationContext> proposed, Duration timeout) throws IOException, DicomNetworkException {
        Socket socket = tls.connect(peer.host(), peer.port(), timeout);
        try {
            return new TlsAssociationInitiator(socket, peer, callingAeTitle, ourMaxPduLength, proposed);
        } catch (IOException | DicomNetworkException | RuntimeException e) {
            socket.close();
            throw e;
        }
    }

    @Override
    public String getCallingAEHostName() {
        return socket.getLocalAddress().getHostAddress();
    }

    @Override
    public String getCalledAEHostName() {
        return host;
    }

    @Override
    public int getCallingAEPort() {
        return socket.getLocalPort();
    }

    @Override
    public int getCalledAEPort() {
        return port;
    }

    @Override
    public String toString() {
        return "TLS association " + callingAETitle + " -> " + calledAETitle + "@" + host + ":" + port;
    }
}
