package org.seggateway.gateway.config;

/** Which protocol a destination is reached by; the DICOM (DIMSE) settings apply only where it is DIMSE. */
public final class DestinationKinds {
    private DestinationKinds() {}

    /** Whether the gateway associates with this destination (C-STORE, C-FIND, C-MOVE): every destination for now. */
    public static boolean usesDimse(GatewayConfig.Destination destination) {
        return true;
    }
}
