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

/** The network profile with DICOM TLS on the listener: a self-signed certificate made with openssl for the run. */
public class TlsListenerProfile extends NetworkTestProfile {

    static final Path KEYS = keys();

    @Override
    public Map<String, String> getConfigOverrides() {
        Map<String, String> config = new HashMap<>(super.getConfigOverrides());
        config.put("seg-gateway.scp.tls.enabled", "true");
        config.put("seg-gateway.scp.tls.key-store", KEYS.resolve("gateway.p12").toString());
        config.put("seg-gateway.scp.tls.key-store-password", "secret");
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
