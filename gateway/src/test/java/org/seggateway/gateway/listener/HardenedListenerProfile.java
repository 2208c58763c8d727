package org.seggateway.gateway.listener;

import java.util.HashMap;
import java.util.Map;
import org.seggateway.gateway.NetworkTestProfile;

/**
 * The network profile with the DICOM listener's bounds set small enough to reach in a test, CT01 confined to an
 * address range the tests do not connect from, and the reprocessing PACS set (for the retrieve listener).
 */
public class HardenedListenerProfile extends NetworkTestProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        Map<String, String> config = new HashMap<>(super.getConfigOverrides());
        config.put("seg-gateway.scp.limits.max-associations-per-address", "3");
        config.put("seg-gateway.scp.limits.max-instance-size", "4K");
        config.put("seg-gateway.scp.limits.associate-request-timeout", "2s");
        config.put("seg-gateway.scp.callers.\"CT01\"", "10.1.2.0/24,10.1.3.7");
        config.put("seg-gateway.reprocess.retrieve-from", "test-pacs");
        return config;
    }
}
