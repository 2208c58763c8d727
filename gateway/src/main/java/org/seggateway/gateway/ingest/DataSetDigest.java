package org.seggateway.gateway.ingest;

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
 * SHA-256 of an instance's data set as it was sent, without the File Meta Information: the receiver writes that
 * group itself, with the sender's AE title in it, so the same instance sent by the modality and later by the PACS
 * differs only there and must still count as the same bytes.
 */
final class DataSetDigest {
    private static final int PREAMBLE = 128;

    private DataSetDigest() {}

    static String sha256(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            byte[] head = in.readNBytes(PREAMBLE + 4 + 12);
            long skip = metaGroupLength(head);
            if (skip < 0) digest.update(head); // not a Part 10 file with a meta group length: the whole file
            else in.skipNBytes(skip);
            byte[] buffer = new byte[1 << 16];
            for (int n; (n = in.read(buffer)) > 0; ) digest.update(buffer, 0, n);
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The length of the meta elements after (0002,0000), or -1 when the head is not preamble, "DICM", (0002,0000) UL. */
    private static long metaGroupLength(byte[] head) {
        if (head.length < PREAMBLE + 16) return -1;
        if (!Arrays.equals(head, PREAMBLE, PREAMBLE + 4, new byte[]{'D', 'I', 'C', 'M'}, 0, 4)) return -1;
        ByteBuffer b = ByteBuffer.wrap(head, PREAMBLE + 4, 12).order(ByteOrder.LITTLE_ENDIAN);
        if (b.getShort() != 0x0002 || b.getShort() != 0x0000 || b.get() != 'U' || b.get() != 'L' || b.getShort() != 4) return -1;
        return Integer.toUnsignedLong(b.getInt());
    }
}
