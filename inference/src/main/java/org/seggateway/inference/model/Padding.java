package org.seggateway.inference.model;

/**
 * How axes shorter than the patch are padded: {@link Kind#CONSTANT} with {@code value} (in input units,
 * normalised like the image) or {@link Kind#MIRROR} (reflection without repeating the edge voxel).
 */
public record Padding(Kind kind, double value) {
    public enum Kind { CONSTANT, MIRROR }

    public static Padding mirror() {
        return new Padding(Kind.MIRROR, 0);
    }
}
