package org.seggateway.dicomio.net;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.Objects;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;

/**
 * DICOM TLS (PS3.15 B.1, BCP 195) on a {@link DicomReceiver}: TLS 1.2 and 1.3 only, our certificate and key from a
 * key store, and optionally a client certificate required and checked against a trust store.
 *
 * @param keyStore                 PKCS12 (or JKS) key store with this receiver's private key and certificate chain
 * @param keyStorePassword         its password (also the key's)
 * @param trustStore               trust store with the CA or certificates of the callers; null when no client
 *                                 certificate is asked for
 * @param trustStorePassword       its password
 * @param requireClientCertificate whether callers must present a certificate the trust store vouches for
 */
public record ReceiverTls(Path keyStore, String keyStorePassword, Path trustStore, String trustStorePassword,
                          boolean requireClientCertificate) {

    public ReceiverTls {
        Objects.requireNonNull(keyStore, "keyStore");
        Objects.requireNonNull(keyStorePassword, "keyStorePassword");
        if (requireClientCertificate && trustStore == null)
            throw new IllegalArgumentException("a client certificate can only be required with a trust store");
    }

    /** An unbound server socket speaking TLS 1.2/1.3 with these stores; fails with the store that is wrong. */
    ServerSocket newServerSocket() throws IOException {
        SSLContext context = TlsContexts.create(keyStore, keyStorePassword, trustStore, trustStorePassword);
        SSLServerSocket socket = (SSLServerSocket) context.getServerSocketFactory().createServerSocket();
        socket.setEnabledProtocols(TlsContexts.protocols());
        socket.setNeedClientAuth(requireClientCertificate);
        return socket;
    }

    @Override
    public String toString() {
        return "TLS 1.2/1.3, key store " + keyStore + (trustStore == null ? "" : ", trust store " + trustStore)
                + (requireClientCertificate ? ", client certificate required" : "");
    }
}
