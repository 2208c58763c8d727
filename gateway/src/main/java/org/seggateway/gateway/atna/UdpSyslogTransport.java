package org.seggateway.gateway.atna;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;

/**
 * Syslog over UDP (RFC 5426): one message per datagram. Nothing tells whether it arrived; a receiver that is not
 * listening may show as an ICMP "port unreachable" on a later send ({@link java.net.PortUnreachableException}),
 * which counts as a failed send.
 */
public final class UdpSyslogTransport implements SyslogTransport {
    /** Largest payload of a UDP datagram over IPv4. */
    static final int MAX_DATAGRAM = 65_507;
    private final String host;
    private final int port;
    private DatagramSocket socket;

    public UdpSyslogTransport(String host, int port) {
        this.host = host;
        this.port = port;
    }

    @Override
    public void send(byte[] message) throws IOException {
        if (message.length > MAX_DATAGRAM)
            throw new IllegalArgumentException("syslog message of " + message.length + " bytes does not fit a UDP datagram");
        if (socket == null) {
            DatagramSocket s = new DatagramSocket();
            s.connect(new InetSocketAddress(host, port));
            socket = s;
        }
        try {
            socket.send(new DatagramPacket(message, message.length));
        } catch (IOException e) {
            close();
            throw e;
        }
    }

    @Override
    public void close() {
        if (socket != null) socket.close();
        socket = null;
    }
}
