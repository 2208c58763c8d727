package org.seggateway.dicomio.testing;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/** Byte-level look at Part 10 files, independent of any toolkit. */
public final class Part10 {

    private Part10() {}

    /**
     * The data set bytes of a Part 10 file: everything after the File Meta Information, whose length comes from its
     * (0002,0000) group length element (explicit VR little endian, right after the 128-byte preamble and "DICM").
     */
    public static byte[] dataSet(Path file) throws IOException {
        byte[] all = Files.readAllBytes(file);
        if (all.length < 144 || all[128] != 'D' || all[129] != 'I' || all[130] != 'C' || all[131] != 'M')
            throw new IOException(file + " is not a Part 10 file");
        ByteBuffer b = ByteBuffer.wrap(all).order(ByteOrder.LITTLE_ENDIAN);
        if (b.getShort(132) != 0x0002 || b.getShort(134) != 0x0000)
            throw new IOException(file + " has no (0002,0000) group length first");
        int metaLength = b.getInt(140);
        return Arrays.copyOfRange(all, 144 + metaLength, all.length);
    }
}
