package org.seggateway.dicomio.codec;

/**
 * Decodes the compressed bytes of one frame (the fragments of one frame of encapsulated Pixel Data, joined)
 * into stored values: {@code spec.pixels()} 16-bit patterns written at {@code voxels[offset...]}, 8-bit samples
 * as their byte value. Implementations hold no state between calls other than reusable buffers; one instance
 * is used by one thread at a time.
 */
public interface FrameDecoder {
    void decode(byte[] frame, FrameSpec spec, short[] voxels, int offset) throws CodecException;

    /** Checks the size the stream declares against the size the DICOM header declares. */
    static void checkSize(String codec, FrameSpec spec, long columns, long rows, long components) throws CodecException {
        if (columns != spec.columns() || rows != spec.rows() || components != 1)
            throw new CodecException(codec + " stream holds " + columns + " x " + rows + " x " + components
                    + " sample(s), the header declares " + spec.columns() + " x " + spec.rows() + " x 1");
    }
}
