package org.seggateway.gateway.notify.hl7;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;

/**
 * One MLLP exchange (HL7 v2 Minimal Lower Layer Protocol): a new connection, the message framed as
 * {@code <VT> message <FS><CR>}, the one framed answer read back, the connection closed. The whole exchange, connecting
 * included, is bounded by {@code timeout}.
 */
public final class MllpClient {
    public static final int START = 0x0b, END = 0x1c, CR = 0x0d;
    /** An acknowledgment longer than this is not one. */
    static final int MAX_ANSWER_BYTES = 1 << 20;

    private MllpClient() {}

    /** Sends {@code message} and returns the bytes of the framed answer, without its framing. */
    public static byte[] exchange(String host, int port, Duration timeout, byte[] message) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), (int) Math.max(1, timeout.toMillis()));
            socket.setTcpNoDelay(true);
            OutputStream out = socket.getOutputStream();
            out.write(frame(message));
            out.flush();
            return readFrame(socket, socket.getInputStream(), deadline, timeout);
        }
    }

    public static byte[] frame(byte[] message) {
        byte[] framed = new byte[message.length + 3];
        framed[0] = START;
        System.arraycopy(message, 0, framed, 1, message.length);
        framed[framed.length - 2] = END;
        framed[framed.length - 1] = CR;
        return framed;
    }

    /**
     * Reads one frame: bytes before its start byte are skipped (some peers send a stray CR/LF), the frame ends at
     * FS CR. Throws when the peer closes first or {@code deadline} passes.
     */
    public static byte[] readFrame(Socket socket, InputStream in, long deadline, Duration timeout) throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        boolean started = false;
        int previous = -1;
        while (true) {
            long left = deadline - System.nanoTime();
            if (left <= 0) throw new SocketTimeoutException("no acknowledgment within " + timeout);
            socket.setSoTimeout((int) Math.max(1, left / 1_000_000));
            int b;
            try {
                b = in.read();
            } catch (SocketTimeoutException e) {
                throw new SocketTimeoutException("no acknowledgment within " + timeout);
            }
            if (b < 0) throw new EOFException("connection closed before " + (started ? "the end of " : "") + "an acknowledgment");
            if (!started) {
                started = b == START;
                continue;
            }
            if (previous == END && b == CR) {
                byte[] bytes = body.toByteArray();
                return java.util.Arrays.copyOf(bytes, bytes.length - 1);
            }
            if (body.size() >= MAX_ANSWER_BYTES) throw new IOException("answer longer than " + MAX_ANSWER_BYTES + " bytes");
            body.write(b);
            previous = b;
        }
    }
}
