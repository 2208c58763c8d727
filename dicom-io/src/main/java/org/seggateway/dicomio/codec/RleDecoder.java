package org.seggateway.dicomio.codec;

/**
 * DICOM RLE Lossless (PS3.5 Annex G): a 64-byte header of segment offsets, one PackBits segment per byte plane,
 * most significant byte plane first. Pure Java; no state.
 */
public final class RleDecoder implements FrameDecoder {

    @Override
    public void decode(byte[] frame, FrameSpec spec, short[] voxels, int offset) throws CodecException {
        if (frame.length < 64) throw new CodecException("RLE frame of " + frame.length + " bytes has no header");
        int segments = readInt(frame, 0);
        int planes = spec.bitsAllocated() / 8;
        if (segments != planes)
            throw new CodecException("RLE frame has " + segments + " segment(s), " + planes + " expected for one "
                    + spec.bitsAllocated() + "-bit sample per pixel");
        int pixels = spec.pixels();
        java.util.Arrays.fill(voxels, offset, offset + pixels, (short) 0);
        for (int s = 0; s < segments; s++) {
            long start = Integer.toUnsignedLong(readInt(frame, 4 + 4 * s));
            long end = s + 1 < segments ? Integer.toUnsignedLong(readInt(frame, 8 + 4 * s)) : frame.length;
            if (start < 64 || end > frame.length || start > end)
                throw new CodecException("RLE segment " + (s + 1) + " lies outside the frame (" + start + ".." + end + ")");
            int shift = 8 * (planes - 1 - s);
            unpack(frame, (int) start, (int) end, voxels, offset, pixels, shift, s + 1);
        }
    }

    /** PackBits: n >= 0 copies n + 1 literal bytes, -127..-1 repeats the next byte 1 - n times, -128 is skipped. */
    private static void unpack(byte[] in, int from, int to, short[] voxels, int offset, int pixels, int shift, int segment)
            throws CodecException {
        int p = 0, i = from;
        while (p < pixels && i < to) {
            int n = in[i++];
            if (n >= 0) {
                int count = n + 1;
                if (i + count > to || p + count > pixels) throw overrun(segment);
                for (int k = 0; k < count; k++) voxels[offset + p++] |= (short) ((in[i++] & 0xFF) << shift);
            } else if (n != -128) {
                int count = 1 - n;
                if (i >= to || p + count > pixels) throw overrun(segment);
                short v = (short) ((in[i++] & 0xFF) << shift);
                for (int k = 0; k < count; k++) voxels[offset + p++] |= v;
            }
        }
        if (p < pixels) throw new CodecException("RLE segment " + segment + " decodes to " + p + " bytes, " + pixels + " expected");
    }

    private static CodecException overrun(int segment) {
        return new CodecException("RLE segment " + segment + " runs past its end or past the frame size");
    }

    private static int readInt(byte[] b, int at) {
        return (b[at] & 0xFF) | (b[at + 1] & 0xFF) << 8 | (b[at + 2] & 0xFF) << 16 | (b[at + 3] & 0xFF) << 24;
    }
}
