package org.seggateway.gateway.atna;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;

/**
 * Syslog over TCP with RFC 6587 octet counting, or over TLS (RFC 5425) when given a socket factory: one connection,
 * kept open. A receiver says nothing back on it, so before each message the connection is checked for an end the
 * receiver has signalled (a receiver that stopped closes it): the message then goes on a new connection rather than
 * into a socket whose peer is gone, where the first write would still succeed.
 */
public final class TcpSyslogTransport implements SyslogTransport {
    private final String host;
    private final int port;
    private final int timeoutMillis;
    private final SSLSocketFactory tls;
    private Socket socket;
    private InputStream in;
    private OutputStream out;

    /** @param tls null for plain TCP */
    public TcpSyslogTransport(String host, int port, Duration timeout, SSLSocketFactory tls) {
        this.host = host;
        this.port = port;
        this.timeoutMillis = (int) Math.min(Integer.MAX_VALUE, timeout.toMillis());
        this.tls = tls;
    }

    @Override
    public void send(byte[] message) throws IOException {
        if (socket != null && peerClosed()) close();
        if (socket == null) connect();
        try {
            out.write(SyslogMessage.octetCounted(message));
            out.flush();
        } catch (IOException e) {
            close();
            throw e;
        }
    }

    private void connect() throws IOException {
        Socket s = new Socket();
        try {
            s.connect(new InetSocketAddress(host, port), timeoutMillis);
            s.setTcpNoDelay(true);
            s.setKeepAlive(true);
            if (tls != null) {
                SSLSocket secure = (SSLSocket) tls.createSocket(s, host, port, true);
                SSLParameters parameters = secure.getSSLParameters();
                parameters.setEndpointIdentificationAlgorithm("HTTPS"); // RFC 5425 5.2: the certificate must name the host
                secure.setSSLParameters(parameters);
                secure.setSoTimeout(timeoutMillis);
                secure.startHandshake();
                s = secure;
            }
            in = s.getInputStream();
            out = s.getOutputStream();
            socket = s;
        } catch (IOException e) {
            s.close();
            throw e;
        }
    }

    /** True when the receiver has closed its end (or reset it); a receiver that sent bytes is treated alike. */
    private boolean peerClosed() {
        try {
            socket.setSoTimeout(1);
            try {
                in.read(); // end of stream (-1), or a byte a syslog receiver never sends
                return true;
            } catch (SocketTimeoutException quiet) {
                return false;
            } finally {
                if (!socket.isClosed()) socket.setSoTimeout(timeoutMillis);
            }
        } catch (IOException e) {
            return true;
        }
    }

    @Override
    public void close() {
        if (socket == null) return;
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing a broken connection
        }
        socket = null;
        in = null;
        out = null;
    }
}
