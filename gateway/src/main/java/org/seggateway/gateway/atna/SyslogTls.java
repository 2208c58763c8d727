package org.seggateway.gateway.atna;

import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.Optional;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;
import org.seggateway.gateway.config.GatewayConfig;

/** The TLS side of RFC 5425: the repository is trusted by the configured trust store; a client certificate is optional. */
final class SyslogTls {
    private SyslogTls() {
    }

    static SSLSocketFactory socketFactory(GatewayConfig.Syslog config) throws IOException, GeneralSecurityException {
        Path trustStore = config.trustStore().orElseThrow(() -> new IllegalArgumentException(
                "seg-gateway.audit.syslog.protocol=tls needs seg-gateway.audit.syslog.trust-store"));
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(load(trustStore, config.trustStorePassword()));
        KeyManagerFactory keys = null;
        if (config.keyStore().isPresent()) {
            keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keys.init(load(config.keyStore().get(), config.keyStorePassword()), password(config.keyStorePassword()));
        }
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keys == null ? null : keys.getKeyManagers(), trust.getTrustManagers(), null);
        return context.getSocketFactory();
    }

    /** PKCS12 or JKS, whichever the file is. */
    private static KeyStore load(Path file, Optional<String> password) throws IOException, GeneralSecurityException {
        return KeyStore.getInstance(file.toFile(), password(password));
    }

    private static char[] password(Optional<String> password) {
        return password.map(String::toCharArray).orElse(null);
    }
}
