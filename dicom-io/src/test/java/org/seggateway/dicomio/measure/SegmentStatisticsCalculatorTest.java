package org.seggateway.dicomio.measure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.seggateway.dicomio.seg.LabelMap;
import org.seggateway.dicomio.volume.Volume;
import org.seggateway.dicomio.volume.VolumeGeometry;
import org.seggateway.dicomio.volume.VoxelType;

/**
 * A phantom of spheres on a grid with anisotropic spacing: two "kidneys" (label 1, one each side of the patient), a
 * "liver" (label 2) with a checkerboard of two HU values, and a pair of cubes touching only at a corner (label 3). The
 * expected figures are counted here from the spheres' equations in patient space, not by the calculator's code.
 */
class SegmentStatisticsCalculatorTest {
    private static final double[] SPACING = {1.5, 1.25, 2.0};
    private static final int W = 64, H = 48, D = 30;

    record Sphere(double cx, double cy, double cz, double r) {
        boolean contains(double[] p) {
            double dx = p[0] - cx, dy = p[1] - cy, dz = p[2] - cz;
            return dx * dx + dy * dy + dz * dz <= r * r;
        }
    }

    private static final Sphere RIGHT_KIDNEY = new Sphere(-20, 10, 130, 9), LEFT_KIDNEY = new Sphere(25, 12, 128, 7);
    private static final Sphere LIVER = new Sphere(5, 25, 140, 6);

    @Test
    void countsVolumesValuesBoxesAndComponentsOfKnownSpheres() {
        for (double[] direction : List.of(new double[] {1, 0, 0, 0, 1, 0, 0, 0, 1}, new double[] {-1, 0, 0, 0, 1, 0, 0, 0, 1})) {
            // the second grid runs x towards the patient's right: sides must follow patient x, not the index
            double[] origin = direction[0] > 0 ? new double[] {-45, -5, 100} : new double[] {49.5, -5, 100};
            VolumeGeometry g = new VolumeGeometry(W, H, D, SPACING, origin, direction);
            short[] hu = new short[W * H * D];
            byte[] labels = new byte[W * H * D];
            long right = 0, left = 0, liver = 0, liverHigh = 0;
            double[] liverLow = {1e9, 1e9, 1e9}, liverHighCorner = {-1e9, -1e9, -1e9};
            int i = 0;
            for (int z = 0; z < D; z++)
                for (int y = 0; y < H; y++)
                    for (int x = 0; x < W; x++, i++) {
                        double[] p = g.positionOf(x, y, z);
                        hu[i] = -1000;
                        if (RIGHT_KIDNEY.contains(p)) { labels[i] = 1; hu[i] = 30; right++; }
                        else if (LEFT_KIDNEY.contains(p)) { labels[i] = 1; hu[i] = 30; left++; }
                        else if (LIVER.contains(p)) {
                            labels[i] = 2;
                            boolean high = (x + y + z) % 2 == 0;
                            hu[i] = (short) (high ? 80 : 40);
                            if (high) liverHigh++;
                            liver++;
                            for (int k = 0; k < 3; k++) {
                                liverLow[k] = Math.min(liverLow[k], p[k]);
                                liverHighCorner[k] = Math.max(liverHighCorner[k], p[k]);
                            }
                        }
                    }
            // two 2x2x2 cubes sharing one corner: one component with 26 neighbours (six would make two)
            for (int z = 2; z < 4; z++) for (int y = 2; y < 4; y++) for (int x = 2; x < 4; x++) labels[x + W * (y + H * z)] = 3;
            for (int z = 4; z < 6; z++) for (int y = 4; y < 6; y++) for (int x = 4; x < 6; x++) labels[x + W * (y + H * z)] = 3;

            Volume volume = new Volume("1.2.3", "1.2.4", g, List.of(), null, VoxelType.INT16, hu, null, List.of());
            Map<Integer, SegmentStatistics> stats = SegmentStatisticsCalculator.compute(volume, new LabelMap(W, H, D, labels),
                    Set.of(1, 2, 3, 4), Set.of(1));

            double voxelMl = 1.5 * 1.25 * 2.0 / 1000;
            assertThat(right).isGreaterThan(500);
            assertThat(left).isGreaterThan(200);
            SegmentStatistics kidneys = stats.get(1);
            assertThat(kidneys.voxelCount()).isEqualTo(right + left);
            assertThat(kidneys.volumeMl()).isCloseTo((right + left) * voxelMl, within(1e-9));
            // the spheres' own volume, within the voxelisation's error
            assertThat(kidneys.volumeMl()).isCloseTo(4.0 / 3 * Math.PI * (9 * 9 * 9 + 7 * 7 * 7) / 1000, within(0.15));
            assertThat(kidneys.components()).isEqualTo(2);
            assertThat(kidneys.mean()).isEqualTo(30);
            assertThat(kidneys.standardDeviation()).isEqualTo(0);
            assertThat(kidneys.laterality().rightVoxels()).isEqualTo(right);
            assertThat(kidneys.laterality().leftVoxels()).isEqualTo(left);
            assertThat(kidneys.laterality().leftMl()).isCloseTo(left * voxelMl, within(1e-9));
            assertThat(kidneys.laterality().planeX()).isBetween(-11.0, 18.0);

            SegmentStatistics liverStats = stats.get(2);
            assertThat(liverStats.voxelCount()).isEqualTo(liver);
            double mean = (80.0 * liverHigh + 40.0 * (liver - liverHigh)) / liver;
            assertThat(liverStats.mean()).isCloseTo(mean, within(1e-9));
            double p = (double) liverHigh / liver;
            assertThat(liverStats.standardDeviation()).isCloseTo(40 * Math.sqrt(p * (1 - p)), within(1e-9));
            assertThat(liverStats.min()).isEqualTo(40);
            assertThat(liverStats.max()).isEqualTo(80);
            assertThat(liverStats.boundingBoxMin()).containsExactly(liverLow, within(1e-9));
            assertThat(liverStats.boundingBoxMax()).containsExactly(liverHighCorner, within(1e-9));
            assertThat(liverStats.components()).isEqualTo(1);
            assertThat(liverStats.laterality()).isNull();

            assertThat(stats.get(3).voxelCount()).isEqualTo(16);
            assertThat(stats.get(3).components()).isEqualTo(1);
            assertThat(stats.get(3).mean()).isEqualTo(-1000);

            SegmentStatistics absent = stats.get(4);
            assertThat(absent.voxelCount()).isZero();
            assertThat(absent.components()).isZero();
            assertThat(absent.mean()).isNaN();
            assertThat(absent.boundingBoxMin()).isNull();
        }
    }

    @Test
    void aLabelMapOfAnotherGridIsRefused() {
        VolumeGeometry g = new VolumeGeometry(4, 4, 2, new double[] {1, 1, 1}, new double[3], new double[] {1, 0, 0, 0, 1, 0, 0, 0, 1});
        Volume volume = new Volume("1.2.3", "1.2.4", g, List.of(), null, VoxelType.INT16, new short[32], null, List.of());
        assertThatThrownBy(() -> SegmentStatisticsCalculator.compute(volume, new LabelMap(4, 4, 1, new byte[16]), Set.of(1), Set.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("1.2.3");
    }

    @Test
    void componentCountsMatchAFloodFillOfEveryVoxelOnRandomMaps() {
        java.util.Random random = new java.util.Random(7);
        for (int round = 0; round < 60; round++) {
            int w = 1 + random.nextInt(40), h = 1 + random.nextInt(15), d = 1 + random.nextInt(9);
            double density = random.nextDouble();
            int labelsUsed = 1 + random.nextInt(3);
            byte[] map = new byte[w * h * d];
            for (int i = 0; i < map.length; i++) if (random.nextDouble() < density) map[i] = (byte) (1 + random.nextInt(labelsUsed));
            VolumeGeometry g = new VolumeGeometry(w, h, d, new double[] {1, 1, 1}, new double[] {0, 0, 0},
                    new double[] {1, 0, 0, 0, 1, 0, 0, 0, 1});
            short[] values = new short[map.length];
            for (int i = 0; i < values.length; i++) values[i] = (short) (random.nextInt(2000) - 1000);
            Volume volume = new Volume("1.2.3", "1.2.4", g, List.of(), null, VoxelType.INT16, values, null, List.of());
            Map<Integer, SegmentStatistics> stats = SegmentStatisticsCalculator.compute(volume, new LabelMap(w, h, d, map),
                    Set.of(1, 2, 3), Set.of());
            for (int label = 1; label <= 3; label++) {
                String what = String.format("label %d of round %d (%dx%dx%d, density %.2f)", label, round, w, h, d, density);
                assertThat(stats.get(label).components()).as(what).isEqualTo(floodFillComponents(map, w, h, d, label));
                long count = 0, sum = 0;
                for (int i = 0; i < map.length; i++)
                    if (map[i] == label) {
                        count++;
                        sum += values[i];
                    }
                assertThat(stats.get(label).voxelCount()).as(what).isEqualTo(count);
                if (count > 0) assertThat(stats.get(label).mean()).as(what).isCloseTo((double) sum / count, within(1e-9));
            }
        }
    }

    /** The reference: a flood fill from every unvisited voxel of the label over its 26 neighbours. */
    private static int floodFillComponents(byte[] map, int w, int h, int d, int label) {
        boolean[] seen = new boolean[map.length];
        int components = 0;
        java.util.ArrayDeque<int[]> stack = new java.util.ArrayDeque<>();
        for (int z = 0; z < d; z++)
            for (int y = 0; y < h; y++)
                for (int x = 0; x < w; x++) {
                    int i = (z * h + y) * w + x;
                    if (map[i] != label || seen[i]) continue;
                    components++;
                    seen[i] = true;
                    stack.push(new int[] {x, y, z});
                    while (!stack.isEmpty()) {
                        int[] v = stack.pop();
                        for (int dz = -1; dz <= 1; dz++)
                            for (int dy = -1; dy <= 1; dy++)
                                for (int dx = -1; dx <= 1; dx++) {
                                    int nx = v[0] + dx, ny = v[1] + dy, nz = v[2] + dz;
                                    if (nx < 0 || ny < 0 || nz < 0 || nx >= w || ny >= h || nz >= d) continue;
                                    int n = (nz * h + ny) * w + nx;
                                    if (map[n] == label && !seen[n]) {
                                        seen[n] = true;
                                        stack.push(new int[] {nx, ny, nz});
                                    }
                                }
                    }
                }
        return components;
    }
}
