package org.seggateway.dicomio.net;

import java.util.Objects;

/** A DICOM application entity on the network: where to connect and which AE title to call. */
public record RemoteAe(String host, int port, String aeTitle) {

    public RemoteAe {
        Objects.requireNonNull(host, "host");
        if (host.isBlank()) throw new IllegalArgumentException("host is blank");
        if (port < 1 || port > 65535) throw new IllegalArgumentException("port out of range: " + port);
        aeTitle = AeTitles.check(aeTitle, "called AE title");
    }

    /** {@code AET@host:port}, the form used in every error message about this peer. */
    @Override
    public String toString() {
        return aeTitle + "@" + host + ":" + port;
    }
}
