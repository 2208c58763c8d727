package org.seggateway.gateway.notify;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.seggateway.gateway.config.GatewayConfig;
import org.seggateway.gateway.results.SegmentMeasurement;
import org.seggateway.gateway.results.SegmentMeasurement.CodeView;

/** Result reports and receiver settings for the unit tests of the HL7 and FHIR messages. */
public final class ResultReports {
    private ResultReports() {}

    public static final CodeView ORGAN = new CodeView("123037004", "SCT", "Anatomical Structure");

    /** A CT result of version {@code version} with a liver (CT, so a mean in HU) and an empty spleen segment. */
    public static ResultReport ct(long resultId, int version) {
        SegmentMeasurement liver = new SegmentMeasurement(1, 1, "Liver", ORGAN, new CodeView("10200004", "SCT", "Liver"), 12345,
                1523.4567, 54.321, -20.0, 140.0, 12.5, "HU", null, 1, 26, null);
        SegmentMeasurement spleen = new SegmentMeasurement(2, 2, "Spleen", ORGAN, new CodeView("78961009", "SCT", "Spleen"), 0,
                0.0, null, null, null, null, null, null, 0, 26, null);
        return new ResultReport("5f0e3c1a-1111-4a4a-9b9b-000000000001", "2026-12-04T10:15:30Z", resultId, version,
                "2026-12-04T10:14:00Z", "PAT-0042", "ACC-77", "1.2.826.0.1.3680043.8.498.1", "1.2.826.0.1.3680043.8.498.2",
                "CT", "2.25.1111", "2.25.2222", "2.25.3333", "organs", "1.2.0", "test-pacs", List.of(liver, spleen));
    }

    public static GatewayConfig.Hl7Receiver hl7(int port, Duration timeout) {
        return new GatewayConfig.Hl7Receiver() {
            public String host() { return "127.0.0.1"; }
            public int port() { return port; }
            public String sendingApplication() { return "SEG_GATEWAY"; }
            public String sendingFacility() { return "RADIOLOGY"; }
            public String receivingApplication() { return "RIS"; }
            public String receivingFacility() { return "HOSPITAL"; }
            public String processingId() { return "P"; }
            public Duration timeout() { return timeout; }
        };
    }

    public static GatewayConfig.FhirServer fhir(java.net.URI url, String token) {
        return new GatewayConfig.FhirServer() {
            public java.net.URI url() { return url; }
            public Optional<String> bearerToken() { return Optional.ofNullable(token); }
            public Optional<java.net.URI> patientIdentifierSystem() { return Optional.of(java.net.URI.create("urn:oid:1.2.3.4.5")); }
            public Duration timeout() { return Duration.ofSeconds(10); }
        };
    }

    public static NotificationRepository.Due due(NotificationChannel channel, String receiver, ResultReport report) {
        return new NotificationRepository.Due(1, receiver, "delivery.delivered", 7, report.studyInstanceUid(), report.toJson(), 0,
                java.time.Instant.parse(report.time()), java.util.UUID.randomUUID(), channel, report.resultId());
    }
}
