package org.seggateway.dicomio.header;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.AttributeTag;
import com.pixelmed.dicom.DicomException;
import com.pixelmed.dicom.TagFromName;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;

/**
 * Checks that an image instance really carries its pixels: a Pixel Data element whose length covers Rows x Columns x
 * Samples x Frames x Bits Allocated, and a file long enough to hold it. PixelMed's reader does not throw on a missing
 * or truncated Pixel Data element (it logs and leaves it out), so a receiver checks this before it accepts an
 * instance. Reads only the header and the element's first bytes, never the pixels. Objects without an image pixel
 * module (no Rows/Columns) and float pixel data pass; encapsulated (compressed) pixel data is only checked for
 * presence.
 */
public final class PixelDataCheck {
    private static final String IMPLICIT_VR_LITTLE_ENDIAN = "1.2.840.10008.1.2";
    private static final AttributeTag FLOAT_PIXEL_DATA = new AttributeTag(0x7FE0, 0x0008);
    private static final AttributeTag DOUBLE_FLOAT_PIXEL_DATA = new AttributeTag(0x7FE0, 0x0009);
    private static final long UNDEFINED_LENGTH = 0xFFFFFFFFL;

    private PixelDataCheck() {}

    /** Empty when the pixel data is complete or not needed; otherwise what is wrong, naming the file. */
    public static Optional<String> problem(Path file) throws IOException {
        AttributeList list = new AttributeList();
        long afterTag;
        try {
            afterTag = list.read(file.toFile(), TagFromName.PixelData);
        } catch (DicomException e) {
            throw new IOException("not a readable DICOM file: " + file + ": " + e.getMessage(), e);
        }
        return problem(file, list, afterTag);
    }

    /**
     * {@link #problem(Path)} of a file whose header was read already by {@link DicomHeader#read} ({@code header}), so the
     * header is not parsed again.
     */
    public static Optional<String> problem(Path file, DicomHeader header) throws IOException {
        if (header.afterStop() < 0) return problem(file);
        return problem(file, header.attributeList(), header.afterStop());
    }

    private static Optional<String> problem(Path file, AttributeList list, long afterTag) throws IOException {
        int rows = Attribute.getSingleIntegerValueOrDefault(list, TagFromName.Rows, 0);
        int columns = Attribute.getSingleIntegerValueOrDefault(list, TagFromName.Columns, 0);
        if (rows == 0 && columns == 0) return Optional.empty();
        if (list.get(FLOAT_PIXEL_DATA) != null || list.get(DOUBLE_FLOAT_PIXEL_DATA) != null) return Optional.empty();

        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = channel.size();
            ByteBuffer element = ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN);
            if (afterTag >= 4 && afterTag <= size) channel.read(element, afterTag - 4);
            element.flip();
            if (element.remaining() < 8 || element.getShort(0) != (short) 0x7FE0 || element.getShort(2) != 0x0010)
                return Optional.of(file + ": image (" + rows + "x" + columns + ") without Pixel Data (7FE0,0010)");
            boolean explicit = !IMPLICIT_VR_LITTLE_ENDIAN.equals(
                    Attribute.getSingleStringValueOrEmptyString(list, TagFromName.TransferSyntaxUID));
            long length;
            long valueStart;
            if (explicit) {
                if (element.remaining() < 12) return Optional.of(file + ": Pixel Data element header truncated");
                length = Integer.toUnsignedLong(element.getInt(8));
                valueStart = afterTag + 8;
            } else {
                length = Integer.toUnsignedLong(element.getInt(4));
                valueStart = afterTag + 4;
            }
            if (length == UNDEFINED_LENGTH) return Optional.empty(); // encapsulated: frames are checked on decoding
            long expected = expectedBytes(list, rows, columns);
            if (length < expected)
                return Optional.of(file + ": Pixel Data has " + length + " bytes, " + rows + "x" + columns + " x "
                        + frames(list) + " frame(s) at " + bitsAllocated(list) + " bits needs " + expected);
            if (valueStart + length > size)
                return Optional.of(file + ": Pixel Data truncated: the file ends after " + Math.max(0, size - valueStart)
                        + " of its " + length + " bytes");
            return Optional.empty();
        }
    }

    private static long expectedBytes(AttributeList list, int rows, int columns) {
        int samples = Attribute.getSingleIntegerValueOrDefault(list, TagFromName.SamplesPerPixel, 1);
        long bits = (long) rows * columns * Math.max(1, samples) * frames(list) * bitsAllocated(list);
        return (bits + 7) / 8;
    }

    private static int frames(AttributeList list) {
        return Math.max(1, Attribute.getSingleIntegerValueOrDefault(list, TagFromName.NumberOfFrames, 1));
    }

    private static int bitsAllocated(AttributeList list) {
        return Math.max(1, Attribute.getSingleIntegerValueOrDefault(list, TagFromName.BitsAllocated, 16));
    }
}
