package org.seggateway.gateway.atna;

import java.io.IOException;

/** Sends syslog messages to one receiver; connects (again) as needed. Not thread-safe. */
public interface SyslogTransport extends AutoCloseable {

    /** Sends one message (not yet framed); an exception means it may not have arrived. */
    void send(byte[] message) throws IOException;

    /** Drops the connection, if any; the next send connects again. */
    @Override
    void close();
}
