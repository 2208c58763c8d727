package org.seggateway.inference.queue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import org.seggateway.dicomio.seg.LabelMap;
import org.seggateway.dicomio.volume.Volume;
import org.seggateway.dicomio.volume.VolumeGeometry;
import org.seggateway.dicomio.volume.VoxelType;

/**
 * Cuts voxel and label arrays into little-endian chunks of at most {@link Topics#MAX_CHUNK_BYTES} and puts
 * them back together. The chunk size is a multiple of every voxel size, so no voxel straddles two chunks.
 */
public final class VoxelChunks {
    private VoxelChunks() {
    }

    public static int bytesPerVoxel(VoxelType type) {
        return type == VoxelType.FLOAT32 ? 4 : 2;
    }

    public static int chunkCount(long byteCount) {
        return (int) ((byteCount + Topics.MAX_CHUNK_BYTES - 1) / Topics.MAX_CHUNK_BYTES);
    }

    public static long byteCount(Volume volume) {
        return volume.geometry().voxelCount() * bytesPerVoxel(volume.voxelType());
    }

    /** Chunk {@code index} of a volume's voxels. */
    public static byte[] chunk(Volume volume, int index) {
        int size = bytesPerVoxel(volume.voxelType());
        int first = (int) (checkedStart(byteCount(volume), index) / size);
        int count = chunkLength(byteCount(volume), index) / size;
        ByteBuffer out = ByteBuffer.allocate(count * size).order(ByteOrder.LITTLE_ENDIAN);
        if (volume.voxelType() == VoxelType.FLOAT32) out.asFloatBuffer().put(volume.float32Voxels(), first, count);
        else out.asShortBuffer().put(volume.int16Voxels(), first, count);
        return out.array();
    }

    /** Chunk {@code index} of a volume's voxels in {@code encoding}: for {@link VoxelEncoding#SHUFFLE_ZSTD} its byte planes, compressed. */
    public static byte[] chunk(Volume volume, int index, VoxelEncoding encoding) {
        if (encoding == VoxelEncoding.RAW) return chunk(volume, index);
        int size = bytesPerVoxel(volume.voxelType());
        int first = (int) (checkedStart(byteCount(volume), index) / size);
        int count = chunkLength(byteCount(volume), index) / size;
        byte[] planes = new byte[count * size];
        if (volume.voxelType() == VoxelType.FLOAT32) {
            float[] v = volume.float32Voxels();
            for (int i = 0; i < count; i++) {
                int bits = Float.floatToRawIntBits(v[first + i]);
                planes[i] = (byte) bits;
                planes[count + i] = (byte) (bits >>> 8);
                planes[2 * count + i] = (byte) (bits >>> 16);
                planes[3 * count + i] = (byte) (bits >>> 24);
            }
        } else {
            short[] v = volume.int16Voxels();
            for (int i = 0; i < count; i++) {
                short s = v[first + i];
                planes[i] = (byte) s;
                planes[count + i] = (byte) (s >>> 8);
            }
        }
        return VoxelEncoding.compressPlanes(planes);
    }

    /** Chunk {@code index} of a label map (one byte per voxel). */
    public static byte[] chunk(LabelMap labels, int index) {
        return chunk(labels, index, LabelEncoding.RAW);
    }

    /** Chunk {@code index} of a label map in {@code encoding}. */
    public static byte[] chunk(LabelMap labels, int index, LabelEncoding encoding) {
        int first = (int) checkedStart(labels.labels().length, index);
        return encoding.encode(labels.labels(), first, chunkLength(labels.labels().length, index));
    }

    /** Collects the chunks of one volume, in any order, into its voxel array. */
    public static final class VolumeAssembly {
        private final VolumeGeometry geometry;
        private final VoxelType type;
        private final VoxelEncoding encoding;
        private final short[] shorts;
        private final float[] floats;
        private final boolean[] received;
        private int missing;

        public VolumeAssembly(VolumeGeometry geometry, VoxelType type, int chunkCount) {
            this(geometry, type, chunkCount, VoxelEncoding.RAW);
        }

        /** For the chunks of a job whose header names {@code encoding}. */
        public VolumeAssembly(VolumeGeometry geometry, VoxelType type, int chunkCount, VoxelEncoding encoding) {
            long bytes = geometry.voxelCount() * bytesPerVoxel(type);
            if (chunkCount(bytes) != chunkCount)
                throw new IllegalArgumentException("a " + geometry + " " + type + " volume has " + chunkCount(bytes)
                        + " chunks, the header says " + chunkCount);
            this.geometry = geometry;
            this.type = type;
            this.encoding = encoding;
            this.shorts = type == VoxelType.FLOAT32 ? null : new short[Math.toIntExact(geometry.voxelCount())];
            this.floats = type == VoxelType.FLOAT32 ? new float[Math.toIntExact(geometry.voxelCount())] : null;
            this.received = new boolean[chunkCount];
            this.missing = chunkCount;
        }

        public void accept(int index, byte[] record) {
            int size = bytesPerVoxel(type);
            long bytes = geometry.voxelCount() * size;
            if (index < 0 || index >= received.length)
                throw new IllegalArgumentException("chunk " + index + " of " + record.length + " bytes does not fit a volume of "
                        + received.length + " chunks");
            int length = chunkLength(bytes, index), first = (int) (checkedStart(bytes, index) / size);
            if (encoding == VoxelEncoding.RAW) {
                if (record.length != length)
                    throw new IllegalArgumentException("chunk " + index + " of " + record.length + " bytes does not fit a volume of "
                            + received.length + " chunks");
                ByteBuffer in = ByteBuffer.wrap(record).order(ByteOrder.LITTLE_ENDIAN);
                if (floats != null) in.asFloatBuffer().get(floats, first, length / size);
                else in.asShortBuffer().get(shorts, first, length / size);
            } else {
                byte[] planes;
                try {
                    planes = VoxelEncoding.decompressPlanes(record, length);
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("chunk " + index + " of " + record.length + " bytes does not fit a volume of "
                            + received.length + " chunks: " + e.getMessage(), e);
                }
                fromPlanes(planes, first, length / size);
            }
            if (!received[index]) {
                received[index] = true;
                missing--;
            }
        }

        private void fromPlanes(byte[] planes, int first, int count) {
            if (floats != null) {
                for (int i = 0; i < count; i++)
                    floats[first + i] = Float.intBitsToFloat((planes[i] & 0xff) | (planes[count + i] & 0xff) << 8
                            | (planes[2 * count + i] & 0xff) << 16 | (planes[3 * count + i] & 0xff) << 24);
            } else {
                for (int i = 0; i < count; i++) shorts[first + i] = (short) ((planes[i] & 0xff) | planes[count + i] << 8);
            }
        }

        public boolean complete() {
            return missing == 0;
        }

        public Volume toVolume(String seriesLabel) {
            if (!complete()) throw new IllegalStateException(missing + " chunks missing");
            return new Volume(seriesLabel, null, geometry, List.of(), null, type, shorts, floats, List.of());
        }
    }

    /** Collects the chunks of one label map. */
    public static final class LabelAssembly {
        private final int width, height, depth;
        private final byte[] labels;
        private final LabelEncoding encoding;
        private final boolean[] received;
        private int missing;

        public LabelAssembly(int width, int height, int depth, int chunkCount) {
            this(width, height, depth, chunkCount, LabelEncoding.RAW);
        }

        /** For the chunks of a result whose header names {@code encoding}. */
        public LabelAssembly(int width, int height, int depth, int chunkCount, LabelEncoding encoding) {
            this.encoding = encoding;
            this.width = width;
            this.height = height;
            this.depth = depth;
            this.labels = new byte[Math.multiplyExact(Math.multiplyExact(width, height), depth)];
            if (chunkCount(labels.length) != chunkCount)
                throw new IllegalArgumentException("a label map of " + labels.length + " voxels has " + chunkCount(labels.length)
                        + " chunks, the header says " + chunkCount);
            this.received = new boolean[chunkCount];
            this.missing = chunkCount;
        }

        public void accept(int index, byte[] data) {
            if (index < 0 || index >= received.length)
                throw new IllegalArgumentException("label chunk " + index + " of " + data.length + " bytes does not fit");
            try {
                encoding.decode(data, labels, (int) checkedStart(labels.length, index), chunkLength(labels.length, index));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("label chunk " + index + " of " + data.length + " bytes does not fit: " + e.getMessage(), e);
            }
            if (!received[index]) {
                received[index] = true;
                missing--;
            }
        }

        public boolean complete() {
            return missing == 0;
        }

        public LabelMap toLabelMap() {
            if (!complete()) throw new IllegalStateException(missing + " chunks missing");
            return new LabelMap(width, height, depth, labels);
        }
    }

    private static long checkedStart(long byteCount, int index) {
        long start = (long) index * Topics.MAX_CHUNK_BYTES;
        if (index < 0 || start >= byteCount) throw new IllegalArgumentException("no chunk " + index + " in " + byteCount + " bytes");
        return start;
    }

    private static int chunkLength(long byteCount, int index) {
        return (int) Math.min(Topics.MAX_CHUNK_BYTES, byteCount - checkedStart(byteCount, index));
    }
}
