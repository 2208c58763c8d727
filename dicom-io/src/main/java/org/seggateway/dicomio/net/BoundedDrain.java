package org.seggateway.dicomio.net;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;

/**
 * Closes a connection we have just refused (A-ASSOCIATE-RJ written): the peer should read our reply and close first,
 * or it may see a reset before the reply. So we read and drop what it still sends, but at most {@code maxBytes} and
 * for at most {@code maxTime}, through one small buffer: a peer that keeps streaming costs neither memory nor more
 * than that time.
 */
final class BoundedDrain {

    private BoundedDrain() {}

    /** Half-closes our side, drains within the bounds, closes. Never throws. */
    static void drainAndClose(Socket socket, int maxBytes, Duration maxTime) {
        try {
            socket.shutdownOutput();
            long deadline = System.nanoTime() + maxTime.toNanos();
            InputStream in = socket.getInputStream();
            byte[] buffer = new byte[Math.max(1, Math.min(maxBytes, 4096))];
            long left = maxBytes;
            while (left > 0) {
                long remainingMillis = (deadline - System.nanoTime()) / 1_000_000;
                if (remainingMillis <= 0) break;
                socket.setSoTimeout((int) Math.min(Integer.MAX_VALUE, remainingMillis));
                int n = in.read(buffer, 0, (int) Math.min(buffer.length, left));
                if (n < 0) break;
                left -= n;
            }
        } catch (SocketTimeoutException e) {
            // the peer kept the connection open: we close it
        } catch (IOException e) {
            // peer gone
        } finally {
            try {
                socket.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
    }
}
