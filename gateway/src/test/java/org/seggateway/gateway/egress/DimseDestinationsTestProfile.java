package org.seggateway.gateway.egress;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.seggateway.dicomio.testing.TestCertificates;
import org.seggateway.gateway.NetworkTestProfile;

/**
 * {@link NetworkTestProfile} plus two destinations with DIMSE settings: {@code tls-pacs} over TLS with the gateway's
 * client certificate, trusting the test PACS's certificate, and {@code deflate-pacs} listing deflate first. The
 * certificates are made when the profile is first used, in a temporary folder.
 */
public class DimseDestinationsTestProfile extends NetworkTestProfile {
    static final Path KEYS;
    static final TestCertificates.Party PACS, GATEWAY;
    static final Path TRUSTS_PACS;

    static {
        try {
            KEYS = Files.createTempDirectory("dimse-destinations-keys");
            PACS = TestCertificates.create(KEYS, "pacs");
            GATEWAY = TestCertificates.create(KEYS, "gateway");
            TRUSTS_PACS = TestCertificates.trustStore(KEYS.resolve("trusts-pacs.p12"), PACS);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public Map<String, String> getConfigOverrides() {
        Map<String, String> p = new HashMap<>(super.getConfigOverrides());
        p.put("seg-gateway.destinations.tls-pacs.host", "127.0.0.1");
        p.put("seg-gateway.destinations.tls-pacs.port", Integer.toString(freePort()));
        p.put("seg-gateway.destinations.tls-pacs.ae-title", "TLSPACS");
        p.put("seg-gateway.destinations.tls-pacs.tls.enabled", "true");
        p.put("seg-gateway.destinations.tls-pacs.tls.trust-store", TRUSTS_PACS.toString());
        p.put("seg-gateway.destinations.tls-pacs.tls.trust-store-password", TestCertificates.PASSWORD);
        p.put("seg-gateway.destinations.tls-pacs.tls.key-store", GATEWAY.keyStore().toString());
        p.put("seg-gateway.destinations.tls-pacs.tls.key-store-password", TestCertificates.PASSWORD);
        p.put("seg-gateway.destinations.deflate-pacs.host", "127.0.0.1");
        p.put("seg-gateway.destinations.deflate-pacs.port", Integer.toString(freePort()));
        p.put("seg-gateway.destinations.deflate-pacs.ae-title", "DEFLATEPACS");
        p.put("seg-gateway.destinations.deflate-pacs.transfer-syntaxes", "1.2.840.10008.1.2.1.99,1.2.840.10008.1.2.1");
        return p;
    }
}
