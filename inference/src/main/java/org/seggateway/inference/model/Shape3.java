package org.seggateway.inference.model;

/** Three voxel counts, stored x, y, z (the manifest writes them {@code [z, y, x]}). */
public record Shape3(int x, int y, int z) {

    public static Shape3 fromZyx(int[] zyx) {
        return new Shape3(zyx[2], zyx[1], zyx[0]);
    }

    /** Extent along axis 0 = x, 1 = y, 2 = z. */
    public int get(int axis) {
        return switch (axis) {
            case 0 -> x;
            case 1 -> y;
            case 2 -> z;
            default -> throw new IllegalArgumentException("axis " + axis);
        };
    }

    public long voxels() {
        return (long) x * y * z;
    }

    @Override
    public String toString() {
        return "[" + z + ", " + y + ", " + x + "] (z, y, x)";
    }
}
