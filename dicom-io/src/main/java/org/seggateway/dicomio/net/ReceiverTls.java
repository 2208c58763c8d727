package org.seggateway.dicomio.net;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.Objects;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.TrustManagerFactory;

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

    static final String[] PROTOCOLS = {"TLSv1.3", "TLSv1.2"};

    public ReceiverTls {
        Objects.requireNonNull(keyStore, "keyStore");
        Objects.requireNonNull(keyStorePassword, "keyStorePassword");
        if (requireClientCertificate && trustStore == null)
            throw new IllegalArgumentException("a client certificate can only be required with a trust store");
    }

    /** An unbound server socket speaking TLS 1.2/1.3 with these stores; fails with the store that is wrong. */
    ServerSocket newServerSocket() throws IOException {
        SSLContext context;
        try {
            KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keys.init(load(keyStore, keyStorePassword, "key store"), keyStorePassword.toCharArray());
            TrustManagerFactory trust = null;
            if (trustStore != null) {
                trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
                trust.init(load(trustStore, trustStorePassword, "trust store"));
            }
            context = SSLContext.getInstance("TLS");
            context.init(keys.getKeyManagers(), trust == null ? null : trust.getTrustManagers(), null);
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot set up TLS from key store " + keyStore + ": " + e.getMessage(), e);
        }
        SSLServerSocket socket = (SSLServerSocket) context.getServerSocketFactory().createServerSocket();
        socket.setEnabledProtocols(PROTOCOLS);
        socket.setNeedClientAuth(requireClientCertificate);
        return socket;
    }

    /** Loads a PKCS12 or JKS store (the type is detected). */
    private static KeyStore load(Path file, String password, String what) throws IOException, GeneralSecurityException {
        if (!Files.isReadable(file)) throw new IOException("TLS " + what + " " + file + " cannot be read");
        try {
            return KeyStore.getInstance(file.toFile(), password == null ? null : password.toCharArray());
        } catch (IOException e) {
            throw new IOException("TLS " + what + " " + file + " cannot be loaded (wrong password or format?): "
                    + e.getMessage(), e);
        }
    }

    @Override
    public String toString() {
        return "TLS 1.2/1.3, key store " + keyStore + (trustStore == null ? "" : ", trust store " + trustStore)
                + (requireClientCertificate ? ", client certificate required" : "");
    }
}
