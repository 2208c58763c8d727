package org.seggateway.gateway.listener;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.seggateway.dicomio.testing.Dcmtk;
import org.seggateway.gateway.NetworkTestProfile;

/**
 * The network profile with DICOM TLS on the listener, client certificate required: self-signed certificates made with
 * openssl for the run, the gateway's and one modality's ({@code ct01.key}/{@code ct01.pem}), which the listener's trust
 * store holds.
 */
public class TlsListenerProfile extends NetworkTestProfile {

    static final Path KEYS = keys();

    @Override
    public Map<String, String> getConfigOverrides() {
        Map<String, String> config = new HashMap<>(super.getConfigOverrides());
        config.put("seg-gateway.scp.tls.enabled", "true");
        config.put("seg-gateway.scp.tls.key-store", KEYS.resolve("gateway.p12").toString());
        config.put("seg-gateway.scp.tls.key-store-password", "secret");
        config.put("seg-gateway.scp.tls.trust-store", KEYS.resolve("callers.p12").toString());
        config.put("seg-gateway.scp.tls.trust-store-password", "secret");
        config.put("seg-gateway.scp.tls.require-client-certificate", "true");
        return config;
    }

    private static Path keys() {
        try {
            Path dir = Files.createTempDirectory("seg-gateway-tls-");
            run("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=gateway",
                    "-keyout", dir.resolve("gateway.key").toString(), "-out", dir.resolve("gateway.pem").toString());
            run("openssl", "pkcs12", "-export", "-in", dir.resolve("gateway.pem").toString(),
                    "-inkey", dir.resolve("gateway.key").toString(), "-out", dir.resolve("gateway.p12").toString(),
                    "-passout", "pass:secret");
            run("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=ct01",
                    "-keyout", dir.resolve("ct01.key").toString(), "-out", dir.resolve("ct01.pem").toString());
            run(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(), "-importcert", "-noprompt",
                    "-alias", "ct01", "-file", dir.resolve("ct01.pem").toString(), "-keystore",
                    dir.resolve("callers.p12").toString(), "-storetype", "PKCS12", "-storepass", "secret");
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static void run(String... command) throws IOException, InterruptedException {
        Dcmtk.Result r = Dcmtk.run(Duration.ofSeconds(60), List.of(command));
        if (r.exitCode() != 0) throw new IOException(String.join(" ", command) + " failed:\n" + r.output());
    }
}
