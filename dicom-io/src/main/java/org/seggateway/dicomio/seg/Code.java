package org.seggateway.dicomio.seg;

/** A coded concept, e.g. {@code new Code("10200004", "SCT", "Liver")}. */
public record Code(String value, String scheme, String meaning) {
    public Code {
        if (value == null || value.isBlank() || scheme == null || scheme.isBlank() || meaning == null || meaning.isBlank())
            throw new IllegalArgumentException("a code needs value, scheme and meaning: " + value + ", " + scheme + ", " + meaning);
    }
}
