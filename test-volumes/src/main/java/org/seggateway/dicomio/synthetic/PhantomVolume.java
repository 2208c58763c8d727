package org.seggateway.dicomio.synthetic;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.seggateway.dicomio.volume.SliceSource;
import org.seggateway.dicomio.volume.Volume;
import org.seggateway.dicomio.volume.VolumeGeometry;
import org.seggateway.dicomio.volume.VoxelType;

/**
 * The {@link Phantom} sampled straight into an in-memory CT {@link Volume} (int16 HU), without writing
 * DICOM files: for inference tests and benchmarks. The grid is centred on the patient origin as
 * {@link SyntheticSeries} centres it; values are rounded and clipped to the 12-bit range as stored there.
 */
public final class PhantomVolume {
    private PhantomVolume() {}

    /** Axial CT, identity direction; {@code spacing} x, y, z in mm. */
    public static Volume ct(int width, int height, int depth, double[] spacing, double noiseSigma, long seed) {
        VolumeGeometry g = centred(width, height, depth, spacing, new double[] {1, 0, 0, 0, 1, 0, 0, 0, 1});
        Phantom phantom = Phantom.standard();
        SplittableRandom random = new SplittableRandom(seed);
        short[] v = new short[Math.toIntExact(g.voxelCount())];
        int i = 0;
        for (int z = 0; z < depth; z++)
            for (int y = 0; y < height; y++)
                for (int x = 0; x < width; x++) {
                    double[] p = g.positionOf(x, y, z);
                    double value = phantom.houndsfieldAt(p[0], p[1], p[2]) + 1024 + gaussian(random) * noiseSigma;
                    v[i++] = (short) (Math.max(0, Math.min(4095, Math.round(value))) - 1024);
                }
        List<SliceSource> slices = new ArrayList<>(depth);
        for (int z = 0; z < depth; z++) slices.add(new SliceSource("1.2.840.10008.5.1.4.1.1.2", "2.25.1." + z, 0));
        return new Volume("2.25.1", "2.25.2", g, slices, null, VoxelType.INT16, v, null, List.of());
    }

    /** Ground-truth labels (Phantom.LIVER, Phantom.LESION) at the voxel centres of a grid, x fastest. */
    public static byte[] groundTruth(VolumeGeometry g) {
        Phantom phantom = Phantom.standard();
        byte[] labels = new byte[Math.toIntExact(g.voxelCount())];
        int i = 0;
        for (int z = 0; z < g.depth(); z++)
            for (int y = 0; y < g.height(); y++)
                for (int x = 0; x < g.width(); x++) {
                    double[] p = g.positionOf(x, y, z);
                    labels[i++] = (byte) phantom.labelAt(p[0], p[1], p[2]);
                }
        return labels;
    }

    static VolumeGeometry centred(int width, int height, int depth, double[] spacing, double[] direction) {
        int[] n = {width, height, depth};
        double[] origin = new double[3];
        for (int r = 0; r < 3; r++)
            for (int k = 0; k < 3; k++) origin[r] -= direction[3 * r + k] * spacing[k] * (n[k] - 1) / 2;
        return new VolumeGeometry(width, height, depth, spacing, origin, direction);
    }

    private static double gaussian(SplittableRandom random) {
        double u = 1 - random.nextDouble(), v = random.nextDouble();
        return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
    }
}
