package org.seggateway.gateway;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.Map;

/**
 * The gateway with its DICOM listener on an ephemeral loopback port and three destinations (two DICOM, one STOW-RS) on free ports with
 * nothing listening (tests start peers there), short delivery backoff. Tests read the ports from the
 * configuration or the listener.
 */
public class NetworkTestProfile implements QuarkusTestProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.ofEntries(
                Map.entry("seg-gateway.scp.enabled", "true"),
                Map.entry("seg-gateway.scp.port", "0"),
                Map.entry("seg-gateway.scp.ae-title", "SEGGATEWAY"),
                Map.entry("seg-gateway.scp.allowed-calling-ae-titles", "MODALITY,CT01"),
                Map.entry("seg-gateway.destinations.test-pacs.port", Integer.toString(freePort())),
                Map.entry("seg-gateway.destinations.refusing-pacs.host", "127.0.0.1"),
                Map.entry("seg-gateway.destinations.refusing-pacs.port", Integer.toString(freePort())),
                Map.entry("seg-gateway.destinations.refusing-pacs.ae-title", "REFUSER"),
                Map.entry("seg-gateway.destinations.web-pacs.kind", "stow-rs"),
                Map.entry("seg-gateway.destinations.web-pacs.url", "http://127.0.0.1:" + freePort() + "/dicomweb"),
                Map.entry("seg-gateway.destinations.web-pacs.auth.type", "bearer"),
                Map.entry("seg-gateway.destinations.web-pacs.auth.token", "test-token"),
                Map.entry("seg-gateway.destinations.web-pacs.timeout", "5s"),
                Map.entry("seg-gateway.delivery.initial-backoff", "2s"),
                Map.entry("seg-gateway.delivery.backoff-factor", "2"),
                Map.entry("seg-gateway.delivery.max-backoff", "5s"),
                Map.entry("seg-gateway.delivery.refusals-before-failed", "2"));
    }

    protected static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
