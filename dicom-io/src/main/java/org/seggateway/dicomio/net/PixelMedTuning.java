package org.seggateway.dicomio.net;

import com.pixelmed.network.Association;
import java.lang.reflect.Field;
import java.net.Socket;
import java.time.Duration;

/**
 * The two places where we reach into PixelMed by reflection, each with a fallback if a PixelMed version lacks the
 * field.
 * <ul>
 *   <li>The release wait: after A-RELEASE-RP (and before closing after A-ABORT), PixelMed's {@code Association} does
 *       {@code wait(5000)} on itself. Nothing ever notifies it, so every association holds its thread 5 s after the
 *       release and a PixelMed requestor waits that long for our close. The wait only gives the peer time to close
 *       first; our A-RELEASE-RP is already flushed and the peer sends nothing after its A-RELEASE-RQ, so closing
 *       earlier loses nothing. The field is a private static, so the setting is process-wide.</li>
 *   <li>The socket of an association PixelMed opened itself (SCU side): PixelMed never sets TCP_NODELAY, so every
 *       last fragment of a C-STORE waits for the peer's delayed ACK (about 40 ms per instance to DCMTK).</li>
 * </ul>
 */
public final class PixelMedTuning {

    private static final ReceiverLog LOG = ReceiverLog.LOG;
    private static final String RELEASE_WAIT_FIELD = "associationReleaseToTransportConnectionCloseTimeoutInMilliseconds";

    private PixelMedTuning() {}

    /** Sets PixelMed's wait for the peer's close after release/abort; returns false if this PixelMed has no such field. */
    public static synchronized boolean setReleaseWait(Duration wait) {
        int millis = (int) Math.max(1, Math.min(Integer.MAX_VALUE, wait.toMillis())); // wait(0) would wait forever
        try {
            Field f = Association.class.getDeclaredField(RELEASE_WAIT_FIELD);
            f.setAccessible(true);
            f.setInt(null, millis);
            return true;
        } catch (ReflectiveOperationException | RuntimeException e) {
            LOG.releaseWaitUnchanged(e);
            return false;
        }
    }

    /** PixelMed's current release wait in milliseconds, or -1 if unknown. */
    public static int releaseWaitMillis() {
        try {
            Field f = Association.class.getDeclaredField(RELEASE_WAIT_FIELD);
            f.setAccessible(true);
            return f.getInt(null);
        } catch (ReflectiveOperationException | RuntimeException e) {
            return -1;
        }
    }

    /** The TCP socket under a PixelMed association, or null if it cannot be reached. */
    static Socket socketOf(Association association) {
        try {
            Field f = Association.class.getDeclaredField("socket");
            f.setAccessible(true);
            return (Socket) f.get(association);
        } catch (ReflectiveOperationException | RuntimeException e) {
            LOG.socketUnreachable(e);
            return null;
        }
    }
}
