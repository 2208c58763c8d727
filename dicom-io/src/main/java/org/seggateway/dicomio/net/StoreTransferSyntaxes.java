package org.seggateway.dicomio.net;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The transfer syntaxes our C-STORE SCU can write an uncompressed object in, and so may offer for it: a destination
 * lists the ones it accepts, in its order of preference (a destination that wants deflate lists it first).
 */
public final class StoreTransferSyntaxes {
    public static final String EXPLICIT_VR_LITTLE_ENDIAN = StoragePresentationContextPolicy.EXPLICIT_VR_LITTLE_ENDIAN;
    public static final String IMPLICIT_VR_LITTLE_ENDIAN = StoragePresentationContextPolicy.IMPLICIT_VR_LITTLE_ENDIAN;
    public static final String DEFLATED_EXPLICIT_VR_LITTLE_ENDIAN = "1.2.840.10008.1.2.1.99";

    /** What a destination that says nothing is offered: explicit, then implicit VR little endian. */
    public static final List<String> DEFAULT = List.of(EXPLICIT_VR_LITTLE_ENDIAN, IMPLICIT_VR_LITTLE_ENDIAN);

    /** Everything we can write, by UID, with its name. */
    public static final Map<String, String> WRITABLE = Map.of(
            EXPLICIT_VR_LITTLE_ENDIAN, "Explicit VR Little Endian",
            IMPLICIT_VR_LITTLE_ENDIAN, "Implicit VR Little Endian",
            DEFLATED_EXPLICIT_VR_LITTLE_ENDIAN, "Deflated Explicit VR Little Endian");

    private StoreTransferSyntaxes() {}

    /** The writable ones of {@code listed}, in its order, each once; empty when none of them is. */
    public static List<String> writable(List<String> listed) {
        List<String> kept = new ArrayList<>();
        for (String uid : listed) {
            String u = uid.strip();
            if (WRITABLE.containsKey(u) && !kept.contains(u)) kept.add(u);
        }
        return List.copyOf(kept);
    }
}
