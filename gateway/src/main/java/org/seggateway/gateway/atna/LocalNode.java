package org.seggateway.gateway.atna;

import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * This gateway as it appears in audit messages: its AE title (the DICOM listener's), the machine name (the
 * AuditSourceID, the syslog HOSTNAME and the gateway's network access point) and the process id.
 */
public record LocalNode(String aeTitle, String hostName, long processId) {

    /** The machine's name, or its address when it has none that resolves. */
    public static String machineName() {
        try {
            InetAddress local = InetAddress.getLocalHost();
            String name = local.getHostName(); // no reverse DNS look-up
            return name == null || name.isBlank() ? local.getHostAddress() : name;
        } catch (UnknownHostException e) {
            return "localhost";
        }
    }
}
