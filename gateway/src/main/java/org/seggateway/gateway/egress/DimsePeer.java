package org.seggateway.gateway.egress;

import java.net.URI;
import org.seggateway.dicomio.net.RemoteAe;
import org.seggateway.gateway.config.GatewayConfig;

/** The DICOM peer of a dimse destination (host, port and AE title, checked present at start), and a destination's address. */
public final class DimsePeer {
    private DimsePeer() {}

    public static RemoteAe of(GatewayConfig.Destination d) {
        if (d.kind() != GatewayConfig.DestinationKind.DIMSE)
            throw new IllegalStateException("destination is " + d.kind() + ", not a DICOM (dimse) peer");
        return new RemoteAe(d.host().orElseThrow(), d.port().orElseThrow(), d.aeTitle().orElseThrow());
    }

    /** host:port of a dimse destination, scheme://host:port of a stow-rs one (never credentials or a path). */
    public static String address(GatewayConfig.Destination d) {
        if (d.kind() == GatewayConfig.DestinationKind.STOW_RS) {
            URI u = d.url().orElse(null);
            return u == null ? null : u.getHost() + (u.getPort() < 0 ? "" : ":" + u.getPort());
        }
        return d.host().orElse("") + ":" + d.port().map(String::valueOf).orElse("");
    }
}
