package org.seggateway.dicomio.uid;

import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;

/**
 * Makes new DICOM UIDs: {@code 2.25.<random UUID as a decimal>} (PS3.5 B.2) by default, or
 * {@code <root>.<time>.<counter>} under a configured organisation root. Never the toolkit's root.
 */
public final class UidGenerator {
    private static final Pattern UID = Pattern.compile("(0|[1-9][0-9]*)(\\.(0|[1-9][0-9]*))*");
    private final String root;
    private final AtomicLong counter = new AtomicLong();

    /** UUID-derived UIDs under 2.25. */
    public UidGenerator() {
        this.root = null;
    }

    /** UIDs under an organisation root such as {@code 1.2.826.0.1.3680043.10.123}. */
    public UidGenerator(String root) {
        if (!isValid(root) || root.length() > 40)
            throw new IllegalArgumentException("UID root must be a valid UID of at most 40 characters: " + root);
        this.root = root;
    }

    public String next() {
        if (root == null) {
            UUID u = UUID.randomUUID();
            byte[] b = ByteBuffer.allocate(16).putLong(u.getMostSignificantBits()).putLong(u.getLeastSignificantBits()).array();
            return "2.25." + new BigInteger(1, b);
        }
        return root + "." + System.currentTimeMillis() + "." + counter.incrementAndGet();
    }

    /** A UID is digits and dots, no empty or zero-led component, at most 64 characters. */
    public static boolean isValid(String uid) {
        return uid != null && !uid.isEmpty() && uid.length() <= 64 && UID.matcher(uid).matches();
    }
}
