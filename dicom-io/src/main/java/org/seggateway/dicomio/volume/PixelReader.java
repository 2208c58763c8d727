package org.seggateway.dicomio.volume;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.DicomException;
import com.pixelmed.dicom.TagFromName;
import com.pixelmed.dicom.TransferSyntax;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.StandardOpenOption;
import java.util.EnumMap;
import java.util.Map;
import org.seggateway.dicomio.codec.CodecException;
import org.seggateway.dicomio.codec.CompressedSyntax;
import org.seggateway.dicomio.codec.EncapsulatedFrames;
import org.seggateway.dicomio.codec.FrameDecoder;
import org.seggateway.dicomio.codec.FrameSpec;

/**
 * Copies the stored pixel values of image frames straight into a volume's voxel array, one frame at a
 * time, so that a series is never held twice. Uncompressed files are read from the Pixel Data offset the
 * scanner recorded; encapsulated (compressed) ones are decoded frame by frame from the fragments at that offset
 * ({@link EncapsulatedFrames}, the {@link CompressedSyntax}'s decoder), so that only one compressed frame is held;
 * deflated ones are inflated by the toolkit (whole instance at once).
 *
 * <p>Stored values are written as 16-bit patterns: sign-extended from Bits Stored when Pixel
 * Representation is 1, masked to Bits Stored otherwise (read those with {@code & 0xFFFF}).
 */
final class PixelReader {
    /** The pixel encoding of one instance, checked to be one this reader handles. */
    record Format(String transferSyntax, int bitsAllocated, int bitsStored, boolean signed) {

        static Format of(String seriesUid, InstanceFile instance) throws VolumeException {
            AttributeList l = instance.header().attributeList();
            String where = instance.file().toString();
            int samples = Attribute.getSingleIntegerValueOrDefault(l, TagFromName.SamplesPerPixel, 1);
            String photometric = Attribute.getSingleStringValueOrEmptyString(l, TagFromName.PhotometricInterpretation).trim();
            if (samples != 1 || !photometric.startsWith("MONOCHROME"))
                throw new VolumeException(seriesUid, where + ": only grey-scale images are supported, found "
                        + samples + " sample(s) per pixel, " + photometric);
            int allocated = Attribute.getSingleIntegerValueOrDefault(l, TagFromName.BitsAllocated, 0);
            int stored = Attribute.getSingleIntegerValueOrDefault(l, TagFromName.BitsStored, allocated);
            int highBit = Attribute.getSingleIntegerValueOrDefault(l, TagFromName.HighBit, stored - 1);
            if (allocated != 8 && allocated != 16 || stored < 1 || stored > allocated || highBit != stored - 1)
                throw new VolumeException(seriesUid, where + ": unsupported pixel layout: Bits Allocated " + allocated
                        + ", Bits Stored " + stored + ", High Bit " + highBit + " (supported: 8 or 16 allocated, high bit = stored - 1)");
            String declared = Attribute.getSingleStringValueOrEmptyString(l, TagFromName.TransferSyntaxUID);
            String ts = declared.isEmpty() ? TransferSyntax.ImplicitVRLittleEndian : declared;
            if ((ts.equals(TransferSyntax.JPEGExtended) || ts.equals(TransferSyntax.JPEGBaseline)) && allocated > 8)
                throw new VolumeException(seriesUid, where + ": transfer syntax JPEG Baseline/Extended (" + ts + ") with "
                        + stored + "-bit pixels cannot be decoded here (the JDK's JPEG reader is 8-bit only); "
                        + "decompress the series first (e.g. DCMTK dcmdjpeg)");
            if (!isNative(ts) && !ts.equals(TransferSyntax.DeflatedExplicitVRLittleEndian)) {
                CompressedSyntax syntax = CompressedSyntax.ofUid(ts).orElseThrow(
                        () -> new VolumeException(seriesUid, where + ": unsupported transfer syntax " + ts));
                String unavailable = syntax.unavailableReason();
                if (unavailable != null) throw new VolumeException(seriesUid, where + ": " + unavailable);
            }
            boolean signed = Attribute.getSingleIntegerValueOrDefault(l, TagFromName.PixelRepresentation, 0) == 1;
            return new Format(ts, allocated, stored, signed);
        }

        int bytesPerPixel() {
            return bitsAllocated / 8;
        }
    }

    private final String seriesUid;
    private final Map<CompressedSyntax, FrameDecoder> decoders = new EnumMap<>(CompressedSyntax.class);
    private ByteBuffer frameBuffer;

    PixelReader(String seriesUid) {
        this.seriesUid = seriesUid;
    }

    /**
     * Reads frames of one instance into {@code voxels}: frame {@code frames[i]} (1-based; 0 = the only frame
     * of a single-frame image) goes to slice {@code z[i]}, and its stored value range to min[z[i]], max[z[i]].
     */
    void read(InstanceFile instance, Format format, int[] frames, int[] z, short[] voxels, int sliceSize, int[] min, int[] max)
            throws VolumeException, IOException {
        if (isNative(format.transferSyntax()) && instance.pixelDataOffset() >= 0)
            readNative(instance, format, frames, z, voxels, sliceSize);
        else if (CompressedSyntax.ofUid(format.transferSyntax()).isPresent() && instance.pixelDataOffset() >= 0)
            readEncapsulated(instance, format, frames, z, voxels, sliceSize);
        else
            readWithToolkit(instance, format, frames, z, voxels, sliceSize);
        for (int i = 0; i < frames.length; i++) normalise(format, voxels, z[i] * sliceSize, sliceSize, z[i], min, max);
    }

    private void readNative(InstanceFile instance, Format format, int[] frames, int[] z, short[] voxels, int sliceSize)
            throws VolumeException, IOException {
        boolean bigEndian = format.transferSyntax().equals(TransferSyntax.ExplicitVRBigEndian);
        boolean explicit = !format.transferSyntax().equals(TransferSyntax.ImplicitVRLittleEndian);
        ByteOrder order = bigEndian ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
        long frameBytes = (long) sliceSize * format.bytesPerPixel();
        try (FileChannel channel = FileChannel.open(instance.file(), StandardOpenOption.READ)) {
            ByteBuffer element = ByteBuffer.allocate(12).order(order);
            readFully(channel, element, instance.pixelDataOffset());
            int group = Short.toUnsignedInt(element.getShort(0)), elementNumber = Short.toUnsignedInt(element.getShort(2));
            if (group != 0x7FE0 || elementNumber != 0x0010)
                throw new VolumeException(seriesUid, instance.file() + ": no Pixel Data element where the header ended");
            long length = explicit ? Integer.toUnsignedLong(element.getInt(8)) : Integer.toUnsignedLong(element.getInt(4));
            long dataStart = instance.pixelDataOffset() + (explicit ? 12 : 8);
            int frameCount = Attribute.getSingleIntegerValueOrDefault(instance.header().attributeList(), TagFromName.NumberOfFrames, 1);
            if (length == 0xFFFFFFFFL || length < frameBytes * frameCount || channel.size() < dataStart + frameBytes * frameCount)
                throw new VolumeException(seriesUid, instance.file() + ": Pixel Data holds " + length + " bytes, "
                        + frameCount + " frame(s) of " + frameBytes + " bytes expected");
            if (frameBuffer == null || frameBuffer.capacity() != frameBytes) frameBuffer = ByteBuffer.allocateDirect((int) frameBytes);
            frameBuffer.order(order);
            for (int i = 0; i < frames.length; i++) {
                int frameIndex = Math.max(frames[i], 1) - 1;
                frameBuffer.clear();
                readFully(channel, frameBuffer, dataStart + frameIndex * frameBytes);
                frameBuffer.flip();
                int offset = z[i] * sliceSize;
                if (format.bitsAllocated() == 16) {
                    frameBuffer.asShortBuffer().get(voxels, offset, sliceSize);
                } else {
                    for (int p = 0; p < sliceSize; p++) voxels[offset + p] = frameBuffer.get(p);
                }
            }
        }
    }

    private void readEncapsulated(InstanceFile instance, Format format, int[] frames, int[] z, short[] voxels, int sliceSize)
            throws VolumeException, IOException {
        CompressedSyntax syntax = CompressedSyntax.ofUid(format.transferSyntax()).orElseThrow();
        FrameDecoder decoder = decoders.computeIfAbsent(syntax, CompressedSyntax::decoder);
        AttributeList l = instance.header().attributeList();
        int rows = Attribute.getSingleIntegerValueOrDefault(l, TagFromName.Rows, 0);
        int columns = Attribute.getSingleIntegerValueOrDefault(l, TagFromName.Columns, 0);
        if ((long) rows * columns != sliceSize)
            throw new VolumeException(seriesUid, instance.file() + ": " + rows + " x " + columns + " pixels, " + sliceSize + " expected");
        FrameSpec spec = new FrameSpec(rows, columns, format.bitsAllocated(), format.signed());
        int frameCount = Attribute.getSingleIntegerValueOrDefault(l, TagFromName.NumberOfFrames, 1);
        try (EncapsulatedFrames encapsulated = EncapsulatedFrames.open(instance.file(), instance.pixelDataOffset(), frameCount)) {
            for (int i = 0; i < frames.length; i++) {
                int frameIndex = Math.max(frames[i], 1) - 1;
                decoder.decode(encapsulated.frame(frameIndex), spec, voxels, z[i] * sliceSize);
            }
        } catch (CodecException e) {
            throw new VolumeException(seriesUid, instance.file() + ": cannot decode pixel data of transfer syntax "
                    + syntax.title() + " (" + syntax.uid() + "): " + e.getMessage(), e);
        }
    }

    private void readWithToolkit(InstanceFile instance, Format format, int[] frames, int[] z, short[] voxels, int sliceSize)
            throws VolumeException, IOException {
        AttributeList list = new AttributeList();
        try {
            list.read(instance.file().toFile());
            Attribute pixelData = list.getPixelData();
            if (pixelData == null) throw new VolumeException(seriesUid, instance.file() + ": no Pixel Data");
            int frameCount = Attribute.getSingleIntegerValueOrDefault(list, TagFromName.NumberOfFrames, 1);
            if (format.bitsAllocated() == 16) {
                short[] all = pixelData.getShortValues();
                check(instance, all == null ? 0 : all.length, (long) sliceSize * frameCount, format);
                for (int i = 0; i < frames.length; i++)
                    System.arraycopy(all, (Math.max(frames[i], 1) - 1) * sliceSize, voxels, z[i] * sliceSize, sliceSize);
            } else {
                byte[] all = pixelData.getByteValues();
                check(instance, all == null ? 0 : all.length, (long) sliceSize * frameCount, format);
                for (int i = 0; i < frames.length; i++) {
                    int from = (Math.max(frames[i], 1) - 1) * sliceSize, to = z[i] * sliceSize;
                    for (int p = 0; p < sliceSize; p++) voxels[to + p] = all[from + p];
                }
            }
        } catch (DicomException | RuntimeException e) {
            throw new VolumeException(seriesUid, instance.file() + ": cannot decode pixel data of transfer syntax "
                    + format.transferSyntax() + ": " + e.getMessage(), e);
        }
    }

    private void check(InstanceFile instance, long found, long expected, Format format) throws VolumeException {
        if (found < expected)
            throw new VolumeException(seriesUid, instance.file() + ": decoded " + found + " pixel values of transfer syntax "
                    + format.transferSyntax() + ", " + expected + " expected");
    }

    /** Masks or sign-extends to Bits Stored and records the slice's stored value range. */
    private static void normalise(Format format, short[] voxels, int offset, int length, int z, int[] min, int[] max) {
        int shift = 32 - format.bitsStored();
        int lo = Integer.MAX_VALUE, hi = Integer.MIN_VALUE;
        boolean signed = format.signed();
        for (int p = offset; p < offset + length; p++) {
            int v = signed ? (voxels[p] << shift) >> shift : (voxels[p] << shift) >>> shift;
            voxels[p] = (short) v;
            if (v < lo) lo = v;
            if (v > hi) hi = v;
        }
        min[z] = lo;
        max[z] = hi;
    }

    static boolean isNative(String transferSyntax) {
        return transferSyntax.equals(TransferSyntax.ImplicitVRLittleEndian) || transferSyntax.equals(TransferSyntax.ExplicitVRLittleEndian)
                || transferSyntax.equals(TransferSyntax.ExplicitVRBigEndian);
    }

    private static void readFully(FileChannel channel, ByteBuffer buffer, long position) throws IOException {
        long at = position;
        while (buffer.hasRemaining()) {
            int n = channel.read(buffer, at);
            if (n < 0) throw new IOException("unexpected end of file");
            at += n;
        }
    }
}
