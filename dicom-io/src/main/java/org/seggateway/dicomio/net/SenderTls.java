package org.seggateway.dicomio.net;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

/**
 * DICOM TLS (PS3.15 B.1, BCP 195) on the SCU side of a {@link DicomSender}: TLS 1.2 and 1.3 only, the peer's
 * certificate checked against a trust store (and, unless turned off, its host name against the certificate), and our
 * client certificate from a key store when the peer asks for one. The stores are read once, when this is built.
 */
public final class SenderTls {
    private final SSLContext context;
    private final boolean verifyHostName;
    private final String description;

    private SenderTls(SSLContext context, boolean verifyHostName, String description) {
        this.context = context;
        this.verifyHostName = verifyHostName;
        this.description = description;
    }

    /**
     * @param trustStore         PKCS12 or JKS store with the peers' CA or certificates; null: the JDK's default trust
     * @param trustStorePassword its password (may be null)
     * @param keyStore           store with our client certificate and key; null when we present none
     * @param keyStorePassword   its password (also the key's)
     * @param verifyHostName     the host name we connect to must match the peer certificate's subject alternative names
     * @throws IOException a store cannot be read or loaded; the message names it
     */
    public static SenderTls load(Path trustStore, String trustStorePassword, Path keyStore, String keyStorePassword,
                                 boolean verifyHostName) throws IOException {
        if (keyStore != null) Objects.requireNonNull(keyStorePassword, "keyStorePassword");
        SSLContext context = TlsContexts.create(keyStore, keyStorePassword, trustStore, trustStorePassword);
        String description = "TLS 1.2/1.3" + (trustStore == null ? ", default trust" : ", trust store " + trustStore)
                + (keyStore == null ? "" : ", client certificate from " + keyStore)
                + (verifyHostName ? "" : ", host name not verified");
        return new SenderTls(context, verifyHostName, description);
    }

    /** A connected socket to {@code host:port} whose TLS handshake is done; a refused handshake throws. */
    Socket connect(String host, int port, Duration connectTimeout) throws IOException {
        Socket plain = new Socket();
        try {
            plain.setTcpNoDelay(true);
            plain.connect(new InetSocketAddress(host, port), (int) Math.min(Integer.MAX_VALUE, connectTimeout.toMillis()));
            plain.setSoTimeout((int) Math.min(Integer.MAX_VALUE, connectTimeout.toMillis()));
            SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket(plain, host, port, true);
            SSLParameters parameters = socket.getSSLParameters();
            parameters.setProtocols(TlsContexts.protocols());
            if (verifyHostName) parameters.setEndpointIdentificationAlgorithm("HTTPS");
            socket.setSSLParameters(parameters);
            socket.startHandshake();
            return socket;
        } catch (IOException | RuntimeException e) {
            plain.close();
            throw e;
        }
    }

    @Override
    public String toString() {
        return description;
    }
}
