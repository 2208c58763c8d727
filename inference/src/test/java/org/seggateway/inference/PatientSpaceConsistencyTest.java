package org.seggateway.inference;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.seggateway.dicomio.volume.Volume;
import org.seggateway.dicomio.volume.VolumeGeometry;
import org.seggateway.dicomio.volume.VoxelType;
import org.seggateway.inference.model.ModelPackage;
import org.seggateway.inference.runtime.RuntimeOptions;

/**
 * The same voxels stored in any of the 48 axis orders and directions describe the same patient; after
 * reorientation to the model's LPS the network sees identical input, so every voxel must get the same
 * label at the same patient position. Independent of the reference: checks positions, not arithmetic.
 * For every resampling method: align-corners (linear) and pixel centres (cubic, nnunet) map labels back
 * by different rules.
 */
class PatientSpaceConsistencyTest {

    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"linear", "cubic", "nnunet"})
    void labelsFollowPatientPositionsForAll48StorageOrders(String method) throws Exception {
        ModelPackage p = TestPackages.softmax("same_c4", 4).set("orientation", "LPS").set("patchSize", List.of(6, 8, 8))
                .set("targetSpacing", List.of(1.5, 1.0, 1.0)).set("resampling", Map.of("image", method)).load(dir);
        Volume base = TestVolumes.ct(11, 9, 7, new double[] {1.0, 1.2, 1.5}, TestVolumes.IDENTITY, 42);
        VolumeGeometry bg = base.geometry();
        int[] n = {bg.width(), bg.height(), bg.depth()};
        try (Segmenter segmenter = Segmenter.open(p, RuntimeOptions.cpu(1))) {
            byte[] expected = segmenter.segment(base).labels().labels();
            for (double[] direction : OrientationCodes.allAxisAlignedDirections()) {
                // source axis k runs along base axis perm[k], reversed when its sign is negative
                int[] perm = new int[3];
                boolean[] reversed = new boolean[3];
                for (int k = 0; k < 3; k++)
                    for (int r = 0; r < 3; r++)
                        if (direction[3 * r + k] != 0) {
                            perm[k] = r;
                            reversed[k] = direction[3 * r + k] < 0;
                        }
                int[] m = {n[perm[0]], n[perm[1]], n[perm[2]]};
                double[] spacing = {bg.spacing()[perm[0]], bg.spacing()[perm[1]], bg.spacing()[perm[2]]};
                int[] corner = new int[3];
                for (int k = 0; k < 3; k++) corner[perm[k]] = reversed[k] ? n[perm[k]] - 1 : 0;
                VolumeGeometry g = new VolumeGeometry(m[0], m[1], m[2], spacing,
                        bg.positionOf(corner[0], corner[1], corner[2]), direction);
                short[] voxels = new short[base.int16Voxels().length];
                int[] baseIndexOf = new int[voxels.length];
                for (int z = 0; z < m[2]; z++)
                    for (int y = 0; y < m[1]; y++)
                        for (int x = 0; x < m[0]; x++) {
                            int[] s = {x, y, z};
                            int[] b = new int[3];
                            for (int k = 0; k < 3; k++) b[perm[k]] = reversed[k] ? m[k] - 1 - s[k] : s[k];
                            int i = x + m[0] * (y + m[1] * z), bi = b[0] + n[0] * (b[1] + n[1] * b[2]);
                            voxels[i] = base.int16Voxels()[bi];
                            baseIndexOf[i] = bi;
                            // same patient position
                            double[] ps = g.positionOf(x, y, z), pb = bg.positionOf(b[0], b[1], b[2]);
                            for (int r = 0; r < 3; r++) assertThat(ps[r]).isCloseTo(pb[r], org.assertj.core.data.Offset.offset(1e-9));
                        }
                Volume v = TestVolumes.of(g, VoxelType.INT16, voxels, null);
                byte[] labels = segmenter.segment(v).labels().labels();
                for (int i = 0; i < labels.length; i++)
                    assertThat(labels[i]).as("direction %s voxel %d", java.util.Arrays.toString(direction), i)
                            .isEqualTo(expected[baseIndexOf[i]]);
            }
            int foreground = 0;
            for (byte b : expected) if (b != 0) foreground++;
            assertThat(foreground).isPositive().isLessThan(expected.length);
        }
    }
}
