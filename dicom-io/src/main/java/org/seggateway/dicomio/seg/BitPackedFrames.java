package org.seggateway.dicomio.seg;

import java.io.IOException;
import java.io.OutputStream;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Streams BINARY SEG frames as 1-bit pixels: the first pixel of a byte in its least significant bit,
 * frames packed back to back with no padding between them (PS3.5 8.1.1), the whole value padded to an
 * even length. Holds only a small output buffer, never the packed pixel data.
 */
final class BitPackedFrames {
    private static final VarHandle WORDS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private final OutputStream out;
    private final byte[] buffer = new byte[1 << 16];
    private int buffered;
    private int carry;      // bits not yet written, in the low carryBits bits
    private int carryBits;  // 0..7
    private long bytesWritten;

    BitPackedFrames(OutputStream out) {
        this.out = out;
    }

    /** Length in bytes of the Pixel Data value for {@code frames} frames of {@code pixelsPerFrame} pixels. */
    static long valueLength(int frames, int pixelsPerFrame) {
        long bytes = ((long) frames * pixelsPerFrame + 7) / 8;
        return bytes + (bytes & 1);
    }

    /** Appends one frame: pixel i is 1 where {@code labels[offset + i]} equals {@code value}. */
    void writeFrame(byte[] labels, int offset, int pixels, int value) throws IOException {
        byte match = (byte) value;
        int i = offset, end = offset + pixels, wholeBytesEnd = offset + (pixels & ~7);
        for (; i < wholeBytesEnd; i += 8) {
            // background in a whole word, most of a frame, packs to 0 without looking at its bytes
            int b = match != 0 && (long) WORDS.get(labels, i) == 0 ? 0
                    : (labels[i] == match ? 1 : 0) | (labels[i + 1] == match ? 2 : 0) | (labels[i + 2] == match ? 4 : 0)
                    | (labels[i + 3] == match ? 8 : 0) | (labels[i + 4] == match ? 16 : 0)
                    | (labels[i + 5] == match ? 32 : 0) | (labels[i + 6] == match ? 64 : 0)
                    | (labels[i + 7] == match ? 128 : 0);
            if (carryBits == 0) {
                put(b);
            } else {
                put(carry | (b << carryBits));
                carry = b >>> (8 - carryBits);
            }
        }
        for (; i < end; i++) {
            if (labels[i] == match) carry |= 1 << carryBits;
            if (++carryBits == 8) {
                put(carry);
                carry = 0;
                carryBits = 0;
            }
        }
    }

    /** Writes the last partial byte and the padding byte, if any; returns the bytes written in all. */
    long finish() throws IOException {
        if (carryBits > 0) {
            put(carry);
            carry = 0;
            carryBits = 0;
        }
        if ((bytesWritten & 1) == 1) put(0);
        out.write(buffer, 0, buffered);
        buffered = 0;
        return bytesWritten;
    }

    private void put(int b) throws IOException {
        if (buffered == buffer.length) {
            out.write(buffer, 0, buffered);
            buffered = 0;
        }
        buffer[buffered++] = (byte) b;
        bytesWritten++;
    }
}
