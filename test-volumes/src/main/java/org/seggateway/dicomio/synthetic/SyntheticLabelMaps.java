package org.seggateway.dicomio.synthetic;

import org.seggateway.dicomio.seg.LabelMap;
import org.seggateway.dicomio.volume.VolumeGeometry;

/** Label maps made without a model, for checks of the SEG path. */
public final class SyntheticLabelMaps {
    private SyntheticLabelMaps() {}

    /**
     * A sphere of {@code labelValue} centred in the middle of the grid, its radius a quarter of the grid's
     * smallest physical extent (at least one voxel's spacing, so it is never empty). Distances are in mm,
     * so the sphere stays round on anisotropic grids.
     */
    public static LabelMap sphere(VolumeGeometry grid, int labelValue) {
        if (labelValue < 1 || labelValue > 255) throw new IllegalArgumentException("label value must be 1..255: " + labelValue);
        int w = grid.width(), h = grid.height(), d = grid.depth();
        double[] s = grid.spacing();
        double[] extent = {(w - 1) * s[0], (h - 1) * s[1], (d - 1) * s[2]};
        double smallest = Double.MAX_VALUE;
        for (int k = 0; k < 3; k++) if (extent[k] > 0) smallest = Math.min(smallest, extent[k]);
        if (smallest == Double.MAX_VALUE) smallest = 0;
        double radius = Math.max(smallest / 4, Math.max(s[0], Math.max(s[1], s[2])));
        double cx = (w - 1) / 2.0, cy = (h - 1) / 2.0, cz = (d - 1) / 2.0, r2 = radius * radius;
        byte[] labels = new byte[Math.toIntExact(grid.voxelCount())];
        for (int z = 0; z < d; z++) {
            double dz = (z - cz) * s[2];
            for (int y = 0; y < h; y++) {
                double dy = (y - cy) * s[1];
                int row = w * (y + h * z);
                for (int x = 0; x < w; x++) {
                    double dx = (x - cx) * s[0];
                    if (dx * dx + dy * dy + dz * dz <= r2) labels[row + x] = (byte) labelValue;
                }
            }
        }
        return new LabelMap(w, h, d, labels);
    }
}
