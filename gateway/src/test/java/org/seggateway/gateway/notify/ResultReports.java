package org.seggateway.gateway.notify;

import java.time.Duration;
import java.util.List;
import java.net.URI;
import java.util.HashMap;
import java.util.Map;
import org.seggateway.gateway.config.TestConfigs;
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

    /** Made by SmallRye from properties, as the gateway makes them (an implementation in code would be a CDI bean). */
    public static GatewayConfig.Hl7Receiver hl7(int port, Duration timeout) {
        return TestConfigs.gatewayConfig(Map.of("seg-gateway.spool", "/tmp/spool", "seg-gateway.hl7.ris.host", "127.0.0.1",
                "seg-gateway.hl7.ris.port", Integer.toString(port), "seg-gateway.hl7.ris.sending-facility", "RADIOLOGY",
                "seg-gateway.hl7.ris.receiving-facility", "HOSPITAL", "seg-gateway.hl7.ris.timeout", timeout.toString()))
                .hl7().get("ris");
    }

    public static GatewayConfig.FhirServer fhir(URI url, String token) {
        Map<String, String> p = new HashMap<>(Map.of("seg-gateway.spool", "/tmp/spool", "seg-gateway.fhir.ehr.url", url.toString(),
                "seg-gateway.fhir.ehr.patient-identifier-system", "urn:oid:1.2.3.4.5", "seg-gateway.fhir.ehr.timeout", "10s"));
        if (token != null) p.put("seg-gateway.fhir.ehr.bearer-token", token);
        return TestConfigs.gatewayConfig(p).fhir().get("ehr");
    }

    public static NotificationRepository.Due due(NotificationChannel channel, String receiver, ResultReport report) {
        return new NotificationRepository.Due(1, receiver, "delivery.delivered", 7, report.studyInstanceUid(), report.toJson(), 0,
                java.time.Instant.parse(report.time()), java.util.UUID.randomUUID(), channel, report.resultId());
    }
}
