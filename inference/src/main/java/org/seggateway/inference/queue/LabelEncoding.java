package org.seggateway.inference.queue;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.github.luben.zstd.Zstd;
import com.github.luben.zstd.ZstdException;
import java.util.Arrays;

/**
 * How the label bytes of a result's chunk records are written ({@link ResultHeader#encoding()}). The gateway names the
 * encoding it reads in each job ({@link JobHeader#resultEncoding()}); a worker answers in it when it knows it and in
 * {@link #RAW} otherwise, and a gateway reads a result header without the field as {@link #RAW}. So gateways and workers
 * of either age keep understanding each other in any upgrade order.
 *
 * <p>Why zstd: a label map is one byte per voxel and mostly background, so each 1 MiB chunk shrinks to a few KiB.
 * Compressing it once on the worker, at zstd's fastest level, costs less than the producer's lz4 over the raw bytes,
 * and the gateway decodes it straight into the label array.
 */
public enum LabelEncoding {
    /** One unsigned byte per voxel as it is (the producer's compression.type may compress the record). */
    @JsonProperty("raw") RAW,
    /** Each chunk's label bytes as one zstd frame. */
    @JsonProperty("zstd") ZSTD;

    private static final int ZSTD_LEVEL = 1;

    public String wireName() {
        return this == RAW ? "raw" : "zstd";
    }

    /** Bytes {@code from..from+length} of {@code labels} as one chunk record in this encoding. */
    byte[] encode(byte[] labels, int from, int length) {
        if (this == RAW) {
            byte[] out = new byte[length];
            System.arraycopy(labels, from, out, 0, length);
            return out;
        }
        byte[] frame = new byte[(int) Zstd.compressBound(length)];
        long n = Zstd.compressByteArray(frame, 0, frame.length, labels, from, length, ZSTD_LEVEL);
        if (Zstd.isError(n)) throw new IllegalStateException("zstd failed on a label chunk: " + Zstd.getErrorName(n));
        return Arrays.copyOf(frame, (int) n);
    }

    /**
     * Writes one chunk record into {@code labels} at {@code from}, where it must fill exactly {@code length} bytes: a record
     * that does not is refused, and nothing is written beyond those bytes.
     */
    void decode(byte[] record, byte[] labels, int from, int length) {
        if (this == RAW) {
            if (record.length != length) throw new IllegalArgumentException("raw label chunk of " + record.length + " bytes, expected " + length);
            System.arraycopy(record, 0, labels, from, length);
            return;
        }
        long n;
        try {
            n = Zstd.decompressByteArray(labels, from, length, record, 0, record.length);
        } catch (ZstdException e) {
            throw undecodable(record, length, e.getMessage());
        }
        if (Zstd.isError(n)) throw undecodable(record, length, Zstd.getErrorName(n));
        if (n != length) throw new IllegalArgumentException("zstd label chunk decodes to " + n + " bytes, expected " + length);
    }

    private static IllegalArgumentException undecodable(byte[] record, int length, String why) {
        return new IllegalArgumentException("zstd label chunk of " + record.length + " bytes does not decode to " + length + " bytes: " + why);
    }
}
