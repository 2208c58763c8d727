package org.seggateway.inference;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.seggateway.dicomio.volume.SliceSource;
import org.seggateway.dicomio.volume.Volume;
import org.seggateway.dicomio.volume.VolumeGeometry;
import org.seggateway.dicomio.volume.VoxelType;

/** Small in-memory volumes for engine tests (no DICOM files). */
public final class TestVolumes {
    private TestVolumes() {}

    public static final double[] IDENTITY = {1, 0, 0, 0, 1, 0, 0, 0, 1};

    /** A blob plus noise in CT-like values, int16. */
    public static Volume ct(int nx, int ny, int nz, double[] spacing, double[] direction, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        short[] v = new short[nx * ny * nz];
        int i = 0;
        for (int z = 0; z < nz; z++)
            for (int y = 0; y < ny; y++)
                for (int x = 0; x < nx; x++) {
                    double dx = (x - nx * 0.4) / nx, dy = (y - ny * 0.6) / ny, dz = (z - nz * 0.5) / nz;
                    double base = dx * dx + dy * dy + dz * dz < 0.09 ? 150 : -20;
                    v[i++] = (short) Math.round(base + r.nextDouble(-120, 120));
                }
        return of(new VolumeGeometry(nx, ny, nz, spacing, new double[] {-3, 5, 7}, direction), VoxelType.INT16, v, null);
    }

    public static Volume float32(int nx, int ny, int nz, double[] spacing, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] v = new float[nx * ny * nz];
        for (int i = 0; i < v.length; i++) v[i] = (float) (i % 7 == 0 ? r.nextDouble(-5, 0) : r.nextDouble(0, 900));
        return of(new VolumeGeometry(nx, ny, nz, spacing, new double[3], IDENTITY), VoxelType.FLOAT32, null, v);
    }

    public static Volume of(VolumeGeometry g, VoxelType type, short[] int16, float[] float32) {
        List<SliceSource> slices = new ArrayList<>();
        for (int z = 0; z < g.depth(); z++) slices.add(new SliceSource("1.2.840.10008.5.1.4.1.1.2", "1.2.3." + z, 0));
        return new Volume("1.2.3.4", "1.2.3.5", g, slices, null, type, int16, float32, List.of());
    }
}
