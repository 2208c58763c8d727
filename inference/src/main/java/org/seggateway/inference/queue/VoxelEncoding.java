package org.seggateway.inference.queue;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.github.luben.zstd.Zstd;
import com.github.luben.zstd.ZstdException;

/**
 * How the voxel bytes of a job's chunk records are written ({@link JobHeader#encoding()}), so that a job's records can
 * change form without a worker misreading them: a header without the field is {@link #RAW}, and a worker that does not
 * know a header's value refuses the job (dead letter) instead of guessing.
 *
 * <p>Why shuffle: CT voxels are int16 whose high byte barely changes (0 to 4 for 0..1,279) while the low byte carries
 * the noise. Little-endian bytes interleave the two, so a byte-oriented compressor such as Kafka's lz4 finds almost no
 * repeats in them and spends its time for nothing. Written as planes (every voxel's byte 0, then every voxel's byte 1,
 * ...) the high plane shrinks to almost nothing and zstd's entropy coder squeezes the noisy low plane to its entropy.
 */
public enum VoxelEncoding {
    /** Little-endian voxels as they are (the producer's compression.type may compress the record). */
    @JsonProperty("raw") RAW,
    /** Byte planes of each chunk (byte 0 of every voxel, then byte 1, ...) compressed as one zstd frame. */
    @JsonProperty("shuffle-zstd") SHUFFLE_ZSTD;

    /** zstd's fastest positive level: on CT noise it is within a few per cent of level 3's size at twice its speed. */
    static final int ZSTD_LEVEL = 1;

    /** The name in configuration and in the header. */
    public String wireName() {
        return this == RAW ? "raw" : "shuffle-zstd";
    }

    public static VoxelEncoding ofWireName(String name) {
        for (VoxelEncoding e : values()) if (e.wireName().equals(name)) return e;
        throw new IllegalArgumentException("unknown voxel encoding '" + name + "' (raw, shuffle-zstd)");
    }

    /** One chunk's byte planes (byte 0 of every voxel, then byte 1, ...; {@link VoxelChunks}) as a zstd frame. */
    static byte[] compressPlanes(byte[] planes) {
        return Zstd.compress(planes, ZSTD_LEVEL);
    }

    /**
     * The byte planes of one {@link #SHUFFLE_ZSTD} chunk record, which must come to exactly {@code length} bytes: a record
     * that is not a frame of that size is refused, and nothing larger is ever allocated.
     */
    static byte[] decompressPlanes(byte[] record, int length) {
        byte[] planes = new byte[length];
        long n;
        try {
            n = Zstd.decompressByteArray(planes, 0, length, record, 0, record.length);
        } catch (ZstdException e) {
            throw undecodable(record, length, e.getMessage());
        }
        if (Zstd.isError(n)) throw undecodable(record, length, Zstd.getErrorName(n));
        if (n != length) throw new IllegalArgumentException("shuffle-zstd chunk decodes to " + n + " bytes, expected " + length);
        return planes;
    }

    private static IllegalArgumentException undecodable(byte[] record, int length, String why) {
        return new IllegalArgumentException("shuffle-zstd chunk of " + record.length + " bytes does not decode to " + length
                + " bytes: " + why);
    }
}
