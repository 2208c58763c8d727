package org.seggateway.it.pipeline;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * SHA-256 of a DICOM Part 10 file's data set, File Meta Information left out, as the gateway records it in
 * {@code instances.sha256}: the receiver writes the meta group itself, so only the data set is what the sender sent.
 */
final class DataSetSha256 {
    private static final int PREAMBLE = 128;

    private DataSetSha256() {
    }

    static String of(Path file) throws IOException {
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        try (InputStream in = Files.newInputStream(file)) {
            byte[] head = in.readNBytes(PREAMBLE + 16);
            long metaLength = metaGroupLength(head);
            if (metaLength < 0) digest.update(head);
            else in.skipNBytes(metaLength);
            byte[] buffer = new byte[1 << 16];
            for (int n; (n = in.read(buffer)) > 0; ) digest.update(buffer, 0, n);
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    /** The value of (0002,0000) File Meta Information Group Length, or -1 when the file does not start with one. */
    private static long metaGroupLength(byte[] head) {
        if (head.length < PREAMBLE + 16 || !Arrays.equals(head, PREAMBLE, PREAMBLE + 4, new byte[]{'D', 'I', 'C', 'M'}, 0, 4))
            return -1;
        ByteBuffer b = ByteBuffer.wrap(head, PREAMBLE + 4, 12).order(ByteOrder.LITTLE_ENDIAN);
        boolean groupLength = b.getShort() == 0x0002 && b.getShort() == 0x0000 && b.get() == 'U' && b.get() == 'L' && b.getShort() == 4;
        return groupLength ? Integer.toUnsignedLong(b.getInt()) : -1;
    }
}
