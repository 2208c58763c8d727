package org.seggateway.dicomio.volume;

import java.util.Arrays;

/**
 * The voxel grid of a volume in the patient coordinate system (DICOM LPS, millimetres).
 *
 * <p>Voxel order, used by every voxel array and label map of this project: x fastest, then y, then z;
 * {@code index = x + width * (y + height * z)}. x runs along a row (column index, direction = the first
 * three values of Image Orientation (Patient)), y down a column (row index, the last three values), z
 * across slices in increasing position along the slice normal (row direction x column direction).
 *
 * @param spacing   {x, y, z} in mm: column spacing, row spacing (Pixel Spacing is row\column), slice distance
 * @param origin    centre of voxel (0, 0, 0): Image Position (Patient) of the first slice
 * @param direction 3x3 row-major; column k is the unit vector of axis k (ITK convention)
 */
public record VolumeGeometry(int width, int height, int depth, double[] spacing, double[] origin, double[] direction) {

    public VolumeGeometry {
        if (width <= 0 || height <= 0 || depth <= 0)
            throw new IllegalArgumentException("dimensions must be positive: " + width + "x" + height + "x" + depth);
        if (spacing.length != 3 || origin.length != 3 || direction.length != 9)
            throw new IllegalArgumentException("spacing and origin need 3 values, direction 9");
        spacing = spacing.clone();
        origin = origin.clone();
        direction = direction.clone();
    }

    public long voxelCount() {
        return (long) width * height * depth;
    }

    public int sliceSize() {
        return width * height;
    }

    /** Unit vector of axis {@code k} (0 = x, 1 = y, 2 = z). */
    public double[] axis(int k) {
        return new double[] {direction[k], direction[3 + k], direction[6 + k]};
    }

    /** Patient position of the centre of voxel (x, y, z). */
    public double[] positionOf(double x, double y, double z) {
        double[] p = origin.clone();
        double[] ijk = {x * spacing[0], y * spacing[1], z * spacing[2]};
        for (int r = 0; r < 3; r++)
            for (int k = 0; k < 3; k++)
                p[r] += direction[3 * r + k] * ijk[k];
        return p;
    }

    @Override
    public double[] spacing() {
        return spacing.clone();
    }

    @Override
    public double[] origin() {
        return origin.clone();
    }

    @Override
    public double[] direction() {
        return direction.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof VolumeGeometry g && g.width == width && g.height == height && g.depth == depth
                && Arrays.equals(g.spacing, spacing) && Arrays.equals(g.origin, origin)
                && Arrays.equals(g.direction, direction);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(new int[] {width, height, depth}) * 31 + Arrays.hashCode(origin);
    }

    @Override
    public String toString() {
        return width + "x" + height + "x" + depth + " spacing " + Arrays.toString(spacing) + " origin "
                + Arrays.toString(origin) + " direction " + Arrays.toString(direction);
    }
}
