package org.seggateway.gateway.atna;

import java.io.IOException;
import java.time.Instant;
import org.seggateway.gateway.audit.AuditEntry;

/** Sends one audit row to the syslog receiver as its DICOM audit message. Not thread-safe (the transport is not). */
final class AuditRowSender implements AutoCloseable {
    private final AuditSyslogFormat format;
    private final SyslogTransport transport;

    AuditRowSender(AuditSyslogFormat format, SyslogTransport transport) {
        this.format = format;
        this.transport = transport;
    }

    /** An exception means the message may not have arrived. */
    void send(AuditEntry row) throws IOException {
        transport.send(format.message(row, Instant.now()));
    }

    @Override
    public void close() {
        transport.close();
    }
}
