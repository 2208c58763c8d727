package org.seggateway.dicomio.seg;

/**
 * A label per voxel (0 = background, 1..255 = segment label values, unsigned) on a volume's grid, in the
 * voxel order of {@link org.seggateway.dicomio.volume.VolumeGeometry}: x fastest, then y, then z.
 */
public record LabelMap(int width, int height, int depth, byte[] labels) {
    public LabelMap {
        if ((long) width * height * depth != labels.length)
            throw new IllegalArgumentException("label map of " + width + "x" + height + "x" + depth + " needs "
                    + (long) width * height * depth + " bytes, got " + labels.length);
    }

    public int label(int x, int y, int z) {
        return labels[x + width * (y + height * z)] & 0xFF;
    }
}
