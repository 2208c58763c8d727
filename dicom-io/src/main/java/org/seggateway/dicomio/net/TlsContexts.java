package org.seggateway.dicomio.net;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * The one place where DICOM TLS contexts are built, for the listener ({@link ReceiverTls}) and for the SCU
 * ({@link SenderTls}): key and trust stores loaded from PKCS12 or JKS files, TLS 1.2 and 1.3 only (BCP 195), the JDK's
 * default cipher suites (on Java 25 all with ECDHE or DHE key exchange; the JDK's {@code jdk.tls.client.cipherSuites}
 * and {@code jdk.tls.server.cipherSuites} system properties narrow them).
 */
final class TlsContexts {

    /** The protocols every DICOM TLS socket of ours enables; older ones are refused in the handshake. */
    static final List<String> PROTOCOLS = List.of("TLSv1.3", "TLSv1.2");

    private TlsContexts() {}

    /**
     * A context with our certificate from {@code keyStore} (null: we present none) and the peers trusted by
     * {@code trustStore} (null: the JDK's default trust). Fails naming the store that is wrong.
     */
    static SSLContext create(Path keyStore, String keyStorePassword, Path trustStore, String trustStorePassword)
            throws IOException {
        try {
            KeyManagerFactory keys = null;
            if (keyStore != null) {
                keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                keys.init(load(keyStore, keyStorePassword, "key store"), chars(keyStorePassword));
            }
            TrustManagerFactory trust = null;
            if (trustStore != null) {
                trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
                trust.init(load(trustStore, trustStorePassword, "trust store"));
            }
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keys == null ? null : keys.getKeyManagers(), trust == null ? null : trust.getTrustManagers(), null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot set up TLS from " + (keyStore == null ? "" : "key store " + keyStore + " ")
                    + (trustStore == null ? "" : "trust store " + trustStore) + ": " + e.getMessage(), e);
        }
    }

    static String[] protocols() {
        return PROTOCOLS.toArray(String[]::new);
    }

    /** Loads a PKCS12 or JKS store (the type is detected). */
    private static KeyStore load(Path file, String password, String what) throws IOException, GeneralSecurityException {
        if (!Files.isReadable(file)) throw new IOException("TLS " + what + " " + file + " cannot be read");
        try {
            return KeyStore.getInstance(file.toFile(), chars(password));
        } catch (IOException e) {
            throw new IOException("TLS " + what + " " + file + " cannot be loaded (wrong password or format?): "
                    + e.getMessage(), e);
        }
    }

    private static char[] chars(String password) {
        return password == null ? null : password.toCharArray();
    }
}
