package org.seggateway.dicomio.testing;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * A hostile or broken DICOM peer speaking raw upper-layer PDUs (PS3.8 9.3) over a plain socket, for tests of what a
 * receiver does with input no well-behaved toolkit would send.
 */
public final class RawDicomPeer implements AutoCloseable {

    public static final String VERIFICATION = "1.2.840.10008.1.1";
    public static final String IMPLICIT_VR_LE = "1.2.840.10008.1.2";

    private final Socket socket;
    private final OutputStream out;
    private final InputStream in;

    private RawDicomPeer(Socket socket) throws IOException {
        this.socket = socket;
        this.out = socket.getOutputStream();
        this.in = socket.getInputStream();
    }

    /** Connects to {@code host:port}, optionally from a given local address (e.g. 127.0.0.2 on Linux loopback). */
    public static RawDicomPeer connect(String host, int port, String localAddress) throws IOException {
        Socket s = new Socket();
        if (localAddress != null) s.bind(new InetSocketAddress(InetAddress.getByName(localAddress), 0));
        s.connect(new InetSocketAddress(host, port), 5000);
        s.setSoTimeout(10_000);
        return new RawDicomPeer(s);
    }

    public static RawDicomPeer connect(int port) throws IOException {
        return connect("127.0.0.1", port, null);
    }

    public Socket socket() {
        return socket;
    }

    /** A well-formed A-ASSOCIATE-RQ proposing Verification in implicit VR little endian (context id 1). */
    public static byte[] associateRequest(String calledAe, String callingAe) {
        ByteArrayOutputStream items = new ByteArrayOutputStream();
        item(items, 0x10, ascii("1.2.840.10008.3.1.1.1"));
        ByteArrayOutputStream pc = new ByteArrayOutputStream();
        pc.writeBytes(new byte[] {1, 0, 0, 0});
        item(pc, 0x30, ascii(VERIFICATION));
        item(pc, 0x40, ascii(IMPLICIT_VR_LE));
        item(items, 0x20, pc.toByteArray());
        ByteArrayOutputStream user = new ByteArrayOutputStream();
        item(user, 0x51, new byte[] {0, 0, 0x40, 0}); // max length 16 KiB
        item(items, 0x50, user.toByteArray());
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes(new byte[] {0, 1, 0, 0});
        body.writeBytes(aeTitle(calledAe));
        body.writeBytes(aeTitle(callingAe));
        body.writeBytes(new byte[32]);
        body.writeBytes(items.toByteArray());
        return pdu(0x01, body.toByteArray());
    }

    /** A PDU header claiming {@code length} bytes of body, without the body. */
    public static byte[] pduHeader(int type, long length) {
        return new byte[] {(byte) type, 0, (byte) (length >>> 24), (byte) (length >>> 16), (byte) (length >>> 8),
                (byte) length};
    }

    /** A P-DATA-TF PDU with one PDV on context 1: a command fragment or a data fragment, last or not. */
    public static byte[] pData(byte[] value, boolean command, boolean last) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        int pdvLength = value.length + 2;
        body.writeBytes(new byte[] {(byte) (pdvLength >>> 24), (byte) (pdvLength >>> 16), (byte) (pdvLength >>> 8),
                (byte) pdvLength, 1, (byte) ((command ? 1 : 0) | (last ? 2 : 0))});
        body.writeBytes(value);
        return pdu(0x04, body.toByteArray());
    }

    public void send(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    /** The next PDU's type and body; null when the connection ended (EOF or reset) or nothing came in {@code wait}. */
    public Pdu readPdu(Duration wait) throws IOException {
        socket.setSoTimeout((int) wait.toMillis());
        try {
            DataInputStream data = new DataInputStream(in);
            int type = data.read();
            if (type < 0) return null;
            data.readByte();
            int length = data.readInt();
            if (length < 0 || length > 1 << 20) throw new IOException("implausible PDU length " + length);
            byte[] body = new byte[length];
            data.readFully(body);
            return new Pdu(type, body);
        } catch (SocketTimeoutException e) {
            return null;
        } catch (java.net.SocketException | java.io.EOFException e) {
            return null;
        }
    }

    /** Whether the peer closed the connection within {@code wait} (reads and drops anything before the end). */
    public boolean closedWithin(Duration wait) throws IOException {
        long deadline = System.nanoTime() + wait.toNanos();
        byte[] sink = new byte[4096];
        while (System.nanoTime() < deadline) {
            socket.setSoTimeout((int) Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
            try {
                if (in.read(sink) < 0) return true;
            } catch (SocketTimeoutException e) {
                return false;
            } catch (java.net.SocketException e) {
                return true; // reset
            }
        }
        return false;
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }

    /** One PDU read back: its type and body. */
    public record Pdu(int type, byte[] body) {
        public boolean isAssociateAccept() {
            return type == 0x02;
        }

        /** A-ASSOCIATE-RJ with these Result, Source and Reason fields. */
        public boolean isReject(int result, int source, int reason) {
            return type == 0x03 && body.length == 4 && body[1] == result && body[2] == source && body[3] == reason;
        }
    }

    private static byte[] pdu(int type, byte[] body) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.writeBytes(pduHeader(type, body.length));
        b.writeBytes(body);
        return b.toByteArray();
    }

    private static void item(ByteArrayOutputStream to, int type, byte[] value) {
        to.writeBytes(new byte[] {(byte) type, 0, (byte) (value.length >>> 8), (byte) value.length});
        to.writeBytes(value);
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    private static byte[] aeTitle(String ae) {
        byte[] b = new byte[16];
        java.util.Arrays.fill(b, (byte) ' ');
        byte[] a = ascii(ae);
        System.arraycopy(a, 0, b, 0, Math.min(16, a.length));
        return b;
    }
}
