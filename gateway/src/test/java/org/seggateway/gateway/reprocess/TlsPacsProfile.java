package org.seggateway.gateway.reprocess;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.seggateway.dicomio.testing.Orthanc;
import org.seggateway.dicomio.testing.PeerProcess;
import org.seggateway.dicomio.testing.TestCertificates;
import org.seggateway.gateway.NetworkTestProfile;

/**
 * The network profile with a real Orthanc that speaks DICOM TLS only and requires the gateway's client certificate,
 * as destination {@code tls-orthanc} and as the PACS reprocessing retrieves from; its C-MOVE sub-operations come back
 * to the gateway's Move Destination SCP over plain TCP.
 */
public class TlsPacsProfile extends NetworkTestProfile {
    static final String RETRIEVE_AE = "SEGGW-RETRIEVE";

    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(new TestResourceEntry(TlsOrthanc.class));
    }

    /** Starts Orthanc with DICOM TLS before the gateway and points the destination at it. */
    public static class TlsOrthanc implements QuarkusTestResourceLifecycleManager {
        private static volatile Orthanc orthanc;

        static Orthanc orthanc() {
            return orthanc;
        }

        @Override
        public Map<String, String> start() {
            try {
                Path dir = Files.createTempDirectory(Path.of("target"), "tls-orthanc-").toAbsolutePath();
                TestCertificates.Party pacs = TestCertificates.create(dir, "pacs");
                TestCertificates.Party gateway = TestCertificates.create(dir, "gateway");
                Path trustsPacs = TestCertificates.trustStore(dir.resolve("trusts-pacs.p12"), pacs);
                int retrievePort = PeerProcess.freePort();
                orthanc = Orthanc.start(dir.resolve("orthanc"), List.of(new Orthanc.Modality(RETRIEVE_AE, "127.0.0.1", retrievePort)),
                        """
                        "DicomTlsEnabled" : true,
                        "DicomTlsCertificate" : "%s",
                        "DicomTlsPrivateKey" : "%s",
                        "DicomTlsTrustedCertificates" : "%s",
                        "DicomTlsRemoteCertificateRequired" : true,
                        """.formatted(pacs.certificate(), pacs.key(), gateway.certificate()));
                Map<String, String> p = new HashMap<>();
                p.put("seg-gateway.destinations.tls-orthanc.host", "127.0.0.1");
                p.put("seg-gateway.destinations.tls-orthanc.port", Integer.toString(orthanc.dicomPort()));
                p.put("seg-gateway.destinations.tls-orthanc.ae-title", Orthanc.AE_TITLE);
                p.put("seg-gateway.destinations.tls-orthanc.tls.enabled", "true");
                p.put("seg-gateway.destinations.tls-orthanc.tls.trust-store", trustsPacs.toString());
                p.put("seg-gateway.destinations.tls-orthanc.tls.trust-store-password", TestCertificates.PASSWORD);
                p.put("seg-gateway.destinations.tls-orthanc.tls.key-store", gateway.keyStore().toString());
                p.put("seg-gateway.destinations.tls-orthanc.tls.key-store-password", TestCertificates.PASSWORD);
                p.put("seg-gateway.reprocess.retrieve-from", "tls-orthanc");
                p.put("seg-gateway.reprocess.retrieve.ae-title", RETRIEVE_AE);
                p.put("seg-gateway.reprocess.retrieve.port", Integer.toString(retrievePort));
                return p;
            } catch (Exception e) {
                throw new IllegalStateException("Orthanc with DICOM TLS did not start: " + e.getMessage(), e);
            }
        }

        @Override
        public void stop() {
            if (orthanc != null) orthanc.close();
        }
    }
}
