package org.seggateway.dicomio.synthetic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;
import org.seggateway.dicomio.seg.LabelMap;
import org.seggateway.dicomio.volume.VolumeGeometry;

class SyntheticLabelMapsTest {

    @Test
    void sphereIsCentredRoundInMillimetresAndOfTheRequestedValue() {
        // anisotropic grid: 1 mm in plane, 3 mm between slices; extents 99 x 79 x 117 mm
        VolumeGeometry grid = new VolumeGeometry(100, 80, 40, new double[] {1, 1, 3}, new double[] {0, 0, 0},
                new double[] {1, 0, 0, 0, 1, 0, 0, 0, 1});
        LabelMap sphere = SyntheticLabelMaps.sphere(grid, 7);

        long count = 0;
        double sx = 0, sy = 0, sz = 0;
        int minZ = Integer.MAX_VALUE, maxZ = -1, minX = Integer.MAX_VALUE, maxX = -1;
        for (int z = 0; z < 40; z++)
            for (int y = 0; y < 80; y++)
                for (int x = 0; x < 100; x++) {
                    int label = sphere.label(x, y, z);
                    assertThat(label).isIn(0, 7);
                    if (label == 0) continue;
                    count++;
                    sx += x;
                    sy += y;
                    sz += z;
                    minZ = Math.min(minZ, z);
                    maxZ = Math.max(maxZ, z);
                    minX = Math.min(minX, x);
                    maxX = Math.max(maxX, x);
                }
        double radius = 79 / 4.0;
        assertThat((double) count).isCloseTo(4.0 / 3 * Math.PI * radius * radius * radius / 3, within(0.05 * count));
        assertThat(sx / count).isCloseTo(49.5, within(0.01));
        assertThat(sy / count).isCloseTo(39.5, within(0.01));
        assertThat(sz / count).isCloseTo(19.5, within(0.01));
        assertThat((maxX - minX) * 1.0).isCloseTo(2 * radius, within(2.0));
        assertThat((maxZ - minZ) * 3.0).isCloseTo(2 * radius, within(6.0));
    }

    @Test
    void aTinyGridStillGetsAVoxel() {
        VolumeGeometry grid = new VolumeGeometry(2, 2, 1, new double[] {1, 1, 1}, new double[3],
                new double[] {1, 0, 0, 0, 1, 0, 0, 0, 1});
        LabelMap sphere = SyntheticLabelMaps.sphere(grid, 1);
        assertThat(sphere.labels()).contains((byte) 1);
    }
}
