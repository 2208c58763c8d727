package org.seggateway.dicomio.net;

import com.pixelmed.dicom.VersionAndConstants;
import com.pixelmed.network.Association;
import com.pixelmed.network.DicomNetworkException;
import com.pixelmed.network.PresentationContext;
import java.io.IOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.Socket;
import java.time.Duration;
import java.util.LinkedList;
import java.util.List;

/**
 * The requesting side of an association over a TLS socket of our own ({@link SenderTls}). PixelMed's initiator only
 * knows the JVM-wide default TLS socket factory with its own (pre-BCP 195) cipher and protocol choice, so this one opens
 * the socket itself and then does what PixelMed's initiator does: A-ASSOCIATE-RQ out, A-ASSOCIATE-AC/RJ/ABORT in. The
 * PDUs are PixelMed's own (package-private) classes, reached by reflection; once associated, everything else is
 * PixelMed's {@link Association}.
 */
final class TlsAssociationInitiator extends Association {
    private static final int ASSOCIATE_AC = 0x02;
    private static final int ASSOCIATE_RJ = 0x03;
    private static final int ABORT = 0x07;

    private final String host;
    private final int port;

    @SuppressWarnings("unchecked")
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
        out.write(Pdus.request(peer.aeTitle(), callingAeTitle, ourMaxPduLength, presentationContexts));
        out.flush();
        byte[] header = new byte[6];
        readInsistently(in, header, 0, 6, "type and length of PDU");
        int type = header[0] & 0xff;
        int length = (int) (((header[2] & 0xffL) << 24) | ((header[3] & 0xff) << 16) | ((header[4] & 0xff) << 8) | (header[5] & 0xff));
        byte[] pdu = getRestOfPDU(in, header, length);
        switch (type) {
            case ASSOCIATE_AC -> {
                Pdus.Accept accept = Pdus.accept(pdu, presentationContexts);
                presentationContexts = new LinkedList<>(accept.contexts());
                maximumLengthReceived = accept.maxPduLength();
            }
            case ASSOCIATE_RJ -> throw new DicomNetworkException("Association rejected " + Pdus.info("AssociateRejectPDU", pdu));
            case ABORT -> throw new DicomNetworkException("Association aborted " + Pdus.info("AAbortPDU", pdu));
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

    /** PixelMed's association PDU classes, which are package-private. */
    private static final class Pdus {
        private static final String PACKAGE = "com.pixelmed.network.";

        record Accept(List<PresentationContext> contexts, int maxPduLength) {}

        static byte[] request(String called, String calling, int maxPdu, LinkedList<PresentationContext> contexts)
                throws DicomNetworkException {
            try {
                Constructor<?> c = Class.forName(PACKAGE + "AssociateRequestPDU").getConstructor(String.class, String.class,
                        String.class, String.class, int.class, LinkedList.class, LinkedList.class);
                c.setAccessible(true);
                Object pdu = c.newInstance(called, calling, VersionAndConstants.implementationClassUID,
                        VersionAndConstants.implementationVersionName, maxPdu, contexts, new LinkedList<>());
                return (byte[]) method(pdu, "getBytes").invoke(pdu);
            } catch (ReflectiveOperationException | RuntimeException e) {
                throw unwrap(e, "A-ASSOCIATE-RQ");
            }
        }

        static Accept accept(byte[] bytes, LinkedList<PresentationContext> proposed) throws DicomNetworkException {
            try {
                Object pdu = construct("AssociateAcceptPDU", bytes);
                List<?> accepted = (List<?>) method(pdu, "getAcceptedPresentationContextsWithAbstractSyntaxIncludedFromRequest",
                        LinkedList.class).invoke(pdu, proposed);
                int max = (Integer) method(pdu, "getMaximumLengthReceived").invoke(pdu);
                return new Accept(accepted.stream().map(PresentationContext.class::cast).toList(), max);
            } catch (ReflectiveOperationException | RuntimeException e) {
                throw unwrap(e, "A-ASSOCIATE-AC");
            }
        }

        static String info(String className, byte[] bytes) {
            try {
                Object pdu = construct(className, bytes);
                return (String) method(pdu, "getInfo").invoke(pdu);
            } catch (ReflectiveOperationException | RuntimeException e) {
                return "(" + className + " not readable: " + e + ")";
            }
        }

        private static Object construct(String className, byte[] bytes) throws ReflectiveOperationException {
            Constructor<?> c = Class.forName(PACKAGE + className).getConstructor(byte[].class);
            c.setAccessible(true);
            return c.newInstance((Object) bytes);
        }

        private static Method method(Object target, String name, Class<?>... parameters) throws NoSuchMethodException {
            Method m = target.getClass().getMethod(name, parameters);
            m.setAccessible(true);
            return m;
        }

        private static DicomNetworkException unwrap(Exception e, String what) {
            Throwable cause = e instanceof InvocationTargetException ite ? ite.getCause() : e;
            if (cause instanceof DicomNetworkException d) return d;
            DicomNetworkException wrapped = new DicomNetworkException(what + " with PixelMed's PDU classes failed: " + cause);
            wrapped.initCause(cause);
            return wrapped;
        }
    }
}
