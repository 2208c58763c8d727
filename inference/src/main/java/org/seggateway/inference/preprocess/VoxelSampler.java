package org.seggateway.inference.preprocess;

import org.seggateway.dicomio.volume.Volume;

/** Trilinear reads from a volume's voxel array, one implementation per voxel type. */
abstract sealed class VoxelSampler {

    static VoxelSampler of(Volume v) {
        return switch (v.voxelType()) {
            case INT16 -> new Int16(v.int16Voxels());
            case UINT16 -> new UInt16(v.int16Voxels());
            case FLOAT32 -> new Float32(v.float32Voxels());
        };
    }

    abstract float at(int index);

    /** Interpolates between index and its neighbours at +dx, +dy, +dz with fractions fx, fy, fz. */
    final float trilinear(int index, int dx, int dy, int dz, float fx, float fy, float fz) {
        float c000 = at(index);
        if (fx == 0 && fy == 0 && fz == 0) return c000;
        float c100 = at(index + dx), c010 = at(index + dy), c110 = at(index + dx + dy);
        float c001 = at(index + dz), c101 = at(index + dx + dz), c011 = at(index + dy + dz), c111 = at(index + dx + dy + dz);
        float c00 = c000 + (c100 - c000) * fx, c10 = c010 + (c110 - c010) * fx;
        float c01 = c001 + (c101 - c001) * fx, c11 = c011 + (c111 - c011) * fx;
        float c0 = c00 + (c10 - c00) * fy, c1 = c01 + (c11 - c01) * fy;
        return c0 + (c1 - c0) * fz;
    }

    private static final class Int16 extends VoxelSampler {
        private final short[] v;
        Int16(short[] v) { this.v = v; }
        @Override float at(int i) { return v[i]; }
    }

    private static final class UInt16 extends VoxelSampler {
        private final short[] v;
        UInt16(short[] v) { this.v = v; }
        @Override float at(int i) { return v[i] & 0xFFFF; }
    }

    private static final class Float32 extends VoxelSampler {
        private final float[] v;
        Float32(float[] v) { this.v = v; }
        @Override float at(int i) { return v[i]; }
    }
}
