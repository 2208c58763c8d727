package org.seggateway.dicomio.codec;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * The frames of encapsulated Pixel Data (PS3.5 A.4) in a file, found by reading only the item headers: only one
 * frame's compressed bytes are in memory at a time. Which fragments make a frame: all of them for a single frame;
 * otherwise the Basic Offset Table when present; otherwise one fragment per frame when the counts match; otherwise
 * the fragments that begin with a JPEG, JPEG-LS or JPEG 2000 start marker.
 */
public final class EncapsulatedFrames implements AutoCloseable {
    private static final int MAX_FRAGMENTS = 1 << 20;

    private final Path file;
    private final FileChannel channel;
    /** Per frame, the file positions and lengths of its fragments' values. */
    private final List<long[]> frames;

    private EncapsulatedFrames(Path file, FileChannel channel, List<long[]> frames) {
        this.file = file;
        this.channel = channel;
        this.frames = frames;
    }

    /**
     * Opens the Pixel Data element whose tag starts at {@code pixelDataOffset} (explicit VR little endian, undefined
     * length) and expects {@code frameCount} frames.
     */
    public static EncapsulatedFrames open(Path file, long pixelDataOffset, int frameCount) throws IOException, CodecException {
        FileChannel channel = FileChannel.open(file, StandardOpenOption.READ);
        try {
            return new EncapsulatedFrames(file, channel, index(file, channel, pixelDataOffset, frameCount));
        } catch (IOException | CodecException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    public int frameCount() {
        return frames.size();
    }

    /** The compressed bytes of frame {@code index} (0-based), its fragments joined. */
    public byte[] frame(int index) throws IOException {
        long[] parts = frames.get(index);
        long total = 0;
        for (int i = 1; i < parts.length; i += 2) total += parts[i];
        if (total > Integer.MAX_VALUE - 16) throw new IOException(file + ": frame " + (index + 1) + " is " + total + " bytes");
        byte[] bytes = new byte[(int) total];
        int at = 0;
        for (int i = 0; i < parts.length; i += 2) {
            ByteBuffer target = ByteBuffer.wrap(bytes, at, (int) parts[i + 1]);
            readFully(channel, target, parts[i]);
            at += (int) parts[i + 1];
        }
        return bytes;
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }

    private static List<long[]> index(Path file, FileChannel channel, long offset, int frameCount) throws IOException, CodecException {
        if (frameCount < 1) throw new CodecException(file + ": Number of Frames " + frameCount);
        ByteBuffer header = ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN);
        readFully(channel, header, offset);
        if (header.getShort(0) != (short) 0x7FE0 || header.getShort(2) != 0x0010 || header.getInt(8) != -1)
            throw new CodecException(file + ": no encapsulated Pixel Data (undefined length) at byte " + offset);
        long size = channel.size(), position = offset + 12;
        long[] offsetTable = null;
        List<long[]> fragments = new ArrayList<>(); // item position, value position, value length
        ByteBuffer item = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
        while (true) {
            if (position + 8 > size) throw new CodecException(file + ": encapsulated Pixel Data ends without a sequence delimiter");
            item.clear();
            readFully(channel, item, position);
            int tag = item.getInt(0);
            long length = Integer.toUnsignedLong(item.getInt(4));
            if (tag == 0xE0DDFFFE) break;
            if (tag != 0xE000FFFE) throw new CodecException(file + ": unexpected element " + Integer.toHexString(tag)
                    + " in encapsulated Pixel Data at byte " + position);
            if (length == 0xFFFFFFFFL || position + 8 + length > size)
                throw new CodecException(file + ": fragment at byte " + position + " claims " + length + " bytes past the file's end");
            if (offsetTable == null) {
                offsetTable = offsetTable(channel, position + 8, length);
            } else {
                if (fragments.size() >= MAX_FRAGMENTS) throw new CodecException(file + ": more than " + MAX_FRAGMENTS + " fragments");
                fragments.add(new long[] {position, position + 8, length});
            }
            position += 8 + length;
        }
        if (fragments.isEmpty()) throw new CodecException(file + ": encapsulated Pixel Data holds no fragment");
        return group(file, channel, fragments, offsetTable, frameCount);
    }

    private static long[] offsetTable(FileChannel channel, long at, long length) throws IOException {
        if (length == 0 || length % 4 != 0 || length > 4L * MAX_FRAGMENTS) return new long[0];
        ByteBuffer table = ByteBuffer.allocate((int) length).order(ByteOrder.LITTLE_ENDIAN);
        readFully(channel, table, at);
        long[] offsets = new long[(int) length / 4];
        for (int i = 0; i < offsets.length; i++) offsets[i] = Integer.toUnsignedLong(table.getInt(4 * i));
        return offsets;
    }

    private static List<long[]> group(Path file, FileChannel channel, List<long[]> fragments, long[] offsetTable, int frameCount)
            throws IOException, CodecException {
        int[] firstFragment = new int[frameCount];
        if (frameCount == 1) {
            firstFragment[0] = 0;
        } else if (offsetTable.length == frameCount && offsetTable[0] == 0) {
            long base = fragments.get(0)[0];
            int f = 0;
            for (int k = 0; k < frameCount; k++) {
                if (k > 0 && offsetTable[k] <= offsetTable[k - 1])
                    throw new CodecException(file + ": Basic Offset Table not increasing at frame " + (k + 1));
                while (f < fragments.size() && fragments.get(f)[0] - base < offsetTable[k]) f++;
                if (f == fragments.size() || fragments.get(f)[0] - base != offsetTable[k])
                    throw new CodecException(file + ": Basic Offset Table entry " + (k + 1) + " points at no fragment");
                firstFragment[k] = f;
            }
        } else if (fragments.size() == frameCount) {
            for (int k = 0; k < frameCount; k++) firstFragment[k] = k;
        } else {
            int k = 0;
            for (int f = 0; f < fragments.size(); f++) {
                if (!startsFrame(channel, fragments.get(f))) continue;
                if (k == frameCount) { k++; break; }
                firstFragment[k++] = f;
            }
            if (k != frameCount || firstFragment[0] != 0)
                throw new CodecException(file + ": " + fragments.size() + " fragments without an offset table; cannot tell where "
                        + frameCount + " frames begin");
        }
        List<long[]> frames = new ArrayList<>(frameCount);
        for (int k = 0; k < frameCount; k++) {
            int end = k + 1 < frameCount ? firstFragment[k + 1] : fragments.size();
            long[] parts = new long[2 * (end - firstFragment[k])];
            for (int f = firstFragment[k], i = 0; f < end; f++, i += 2) {
                parts[i] = fragments.get(f)[1];
                parts[i + 1] = fragments.get(f)[2];
            }
            frames.add(parts);
        }
        return frames;
    }

    /** JPEG / JPEG-LS SOI (FFD8), JPEG 2000 codestream SOC+SIZ (FF4F FF51) or the JP2 signature box. */
    private static boolean startsFrame(FileChannel channel, long[] fragment) throws IOException {
        if (fragment[2] < 8) return false;
        ByteBuffer b = ByteBuffer.allocate(8);
        readFully(channel, b, fragment[1]);
        int b0 = b.get(0) & 0xFF, b1 = b.get(1) & 0xFF, b2 = b.get(2) & 0xFF, b3 = b.get(3) & 0xFF;
        return b0 == 0xFF && b1 == 0xD8 || b0 == 0xFF && b1 == 0x4F && b2 == 0xFF && b3 == 0x51
                || b.get(4) == 'j' && b.get(5) == 'P' && b.get(6) == ' ' && b.get(7) == ' ';
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
