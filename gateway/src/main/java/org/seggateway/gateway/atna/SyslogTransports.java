package org.seggateway.gateway.atna;

import java.io.IOException;
import java.security.GeneralSecurityException;
import org.seggateway.gateway.config.GatewayConfig;

/** The syslog transport {@code seg-gateway.audit.syslog.*} names: UDP, TCP or TLS. */
final class SyslogTransports {
    private SyslogTransports() {
    }

    static SyslogTransport open(GatewayConfig.Syslog settings) throws IOException, GeneralSecurityException {
        return switch (settings.protocol()) {
            case TCP -> new TcpSyslogTransport(settings.host(), settings.port(), settings.timeout(), null);
            case TLS -> new TcpSyslogTransport(settings.host(), settings.port(), settings.timeout(), SyslogTls.socketFactory(settings));
            case UDP -> new UdpSyslogTransport(settings.host(), settings.port());
        };
    }
}
