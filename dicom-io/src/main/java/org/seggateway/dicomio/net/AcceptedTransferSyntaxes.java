package org.seggateway.dicomio.net;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.seggateway.dicomio.codec.CompressedSyntax;

/**
 * The transfer syntaxes the receiver accepts for storage, in our order of preference, and whose order decides when a
 * presentation context offers several: the sender's ({@code senderOrder}, the default: senders list their files' own
 * syntax first, and choosing another would make them transcode) or ours.
 *
 * @param uids        accepted transfer syntax UIDs, most preferred first; each one dicom-io decodes
 * @param senderOrder true: the first offered syntax that is accepted; false: the first of {@code uids} that is offered
 */
public record AcceptedTransferSyntaxes(List<String> uids, boolean senderOrder) {
    public static final String EXPLICIT_VR_LITTLE_ENDIAN = "1.2.840.10008.1.2.1";
    public static final String IMPLICIT_VR_LITTLE_ENDIAN = "1.2.840.10008.1.2";
    public static final String DEFLATED_EXPLICIT_VR_LITTLE_ENDIAN = "1.2.840.10008.1.2.1.99";

    /** Names accepted in configuration beside UIDs, with their UID, in the default order. */
    private static final Map<String, String> NAMES = buildNames();

    /**
     * Uncompressed first (nothing to decode), then lossless compression, then lossy, so that with
     * {@code senderOrder = false} a sender offering both is never asked for a lossy copy.
     */
    public static final List<String> DEFAULT_ORDER = List.copyOf(NAMES.values());

    public AcceptedTransferSyntaxes {
        uids = List.copyOf(uids);
        if (uids.isEmpty()) throw new IllegalArgumentException("no transfer syntax accepted");
    }

    public static AcceptedTransferSyntaxes defaults() {
        return new AcceptedTransferSyntaxes(DEFAULT_ORDER, true);
    }

    /**
     * Parses configured names or UIDs (case-insensitive names, see {@link #names()}); throws
     * {@link IllegalArgumentException} naming an unknown entry, a duplicate, or one that cannot be decoded here (with
     * the library to install).
     */
    public static AcceptedTransferSyntaxes parse(List<String> namesOrUids, boolean senderOrder) {
        List<String> uids = new ArrayList<>();
        for (String entry : namesOrUids) {
            String key = entry.strip();
            String uid = NAMES.getOrDefault(key.toLowerCase(Locale.ROOT), key);
            if (!NAMES.containsValue(uid))
                throw new IllegalArgumentException("unknown or unsupported transfer syntax '" + entry + "'; known: "
                        + String.join(", ", NAMES.keySet()) + " (or their UIDs)");
            if (uids.contains(uid)) throw new IllegalArgumentException("transfer syntax '" + entry + "' listed twice");
            String unavailable = CompressedSyntax.ofUid(uid).map(CompressedSyntax::unavailableReason).orElse(null);
            if (unavailable != null) throw new IllegalArgumentException(unavailable);
            uids.add(uid);
        }
        return new AcceptedTransferSyntaxes(uids, senderOrder);
    }

    /** Configuration names and their UIDs, in the default order. */
    public static Map<String, String> names() {
        return NAMES;
    }

    private static Map<String, String> buildNames() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("explicit-vr-little-endian", EXPLICIT_VR_LITTLE_ENDIAN);
        m.put("implicit-vr-little-endian", IMPLICIT_VR_LITTLE_ENDIAN);
        m.put("deflated-explicit-vr-little-endian", DEFLATED_EXPLICIT_VR_LITTLE_ENDIAN);
        m.put("jpeg-ls-lossless", CompressedSyntax.JPEG_LS_LOSSLESS.uid());
        m.put("jpeg-2000-lossless", CompressedSyntax.JPEG_2000_LOSSLESS.uid());
        m.put("jpeg-lossless-sv1", CompressedSyntax.JPEG_LOSSLESS_SV1.uid());
        m.put("jpeg-lossless", CompressedSyntax.JPEG_LOSSLESS.uid());
        m.put("rle-lossless", CompressedSyntax.RLE_LOSSLESS.uid());
        m.put("jpeg-ls-near-lossless", CompressedSyntax.JPEG_LS_NEAR_LOSSLESS.uid());
        m.put("jpeg-2000", CompressedSyntax.JPEG_2000.uid());
        m.put("jpeg-baseline", CompressedSyntax.JPEG_BASELINE.uid());
        m.put("jpeg-extended", CompressedSyntax.JPEG_EXTENDED.uid());
        return java.util.Collections.unmodifiableMap(m);
    }

    /** The syntax chosen among those a presentation context offers; null if none is accepted. */
    public String choose(List<?> offered) {
        List<String> offeredUids = offered.stream().map(o -> o == null ? "" : o.toString().strip()).toList();
        if (senderOrder) {
            for (String uid : offeredUids) if (uids.contains(uid)) return uid;
            return null;
        }
        for (String uid : uids) if (offeredUids.contains(uid)) return uid;
        return null;
    }
}
