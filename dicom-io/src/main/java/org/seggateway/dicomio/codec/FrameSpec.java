package org.seggateway.dicomio.codec;

/**
 * What a decoded frame must look like: one sample per pixel, {@code rows x columns}, 8 or 16 bits allocated.
 *
 * @param signed Pixel Representation 1; decoders only pass it to the codec where the codec needs it, the caller
 *               masks or sign-extends the stored values to Bits Stored afterwards
 */
public record FrameSpec(int rows, int columns, int bitsAllocated, boolean signed) {
    public FrameSpec {
        if (rows < 1 || columns < 1) throw new IllegalArgumentException("frame of " + rows + " x " + columns);
        if (bitsAllocated != 8 && bitsAllocated != 16) throw new IllegalArgumentException("bits allocated " + bitsAllocated);
    }

    public int pixels() {
        return rows * columns;
    }
}
