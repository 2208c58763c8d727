package org.seggateway.inference.imports;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The IR version and operator sets an ONNX file declares, read from the top level of its ModelProto (protobuf:
 * field 1 {@code ir_version}, field 8 {@code opset_import} = {domain (1), version (2)}); ONNX Runtime's Java API does
 * not expose them. Other fields, the graph among them, are skipped without being read.
 */
public final class OnnxOpsets {

    /** @param opsets domain ("" = the default ONNX domain) -> version */
    public record Declared(long irVersion, Map<String, Long> opsets) {}

    private OnnxOpsets() {
    }

    public static Declared read(Path onnx) throws IOException {
        try (FileChannel ch = FileChannel.open(onnx, StandardOpenOption.READ)) {
            long size = ch.size();
            long pos = 0, ir = -1;
            Map<String, Long> opsets = new LinkedHashMap<>();
            while (pos < size) {
                long[] tag = varint(ch, pos);
                pos = tag[1];
                int field = (int) (tag[0] >>> 3), wire = (int) (tag[0] & 7);
                switch (wire) {
                    case 0 -> {
                        long[] v = varint(ch, pos);
                        pos = v[1];
                        if (field == 1) ir = v[0];
                    }
                    case 1 -> pos += 8;
                    case 5 -> pos += 4;
                    case 2 -> {
                        long[] len = varint(ch, pos);
                        pos = len[1];
                        if (field == 8) {
                            ByteBuffer b = ByteBuffer.allocate(Math.toIntExact(len[0]));
                            ch.read(b, pos);
                            opset(b.array(), opsets);
                        }
                        pos += len[0];
                    }
                    default -> throw new IOException(onnx + ": not an ONNX model (protobuf wire type " + wire + " at byte " + pos + ")");
                }
            }
            if (pos != size) throw new IOException(onnx + ": not an ONNX model (truncated)");
            return new Declared(ir, opsets);
        }
    }

    private static void opset(byte[] b, Map<String, Long> out) throws IOException {
        String domain = "";
        long version = -1;
        int p = 0;
        while (p < b.length) {
            long[] tag = varint(b, p);
            p = (int) tag[1];
            int field = (int) (tag[0] >>> 3), wire = (int) (tag[0] & 7);
            if (wire == 0) {
                long[] v = varint(b, p);
                p = (int) v[1];
                if (field == 2) version = v[0];
            } else if (wire == 2) {
                long[] len = varint(b, p);
                p = (int) len[1];
                if (field == 1) domain = new String(b, p, (int) len[0], java.nio.charset.StandardCharsets.UTF_8);
                p += (int) len[0];
            } else throw new IOException("opset_import: unexpected wire type " + wire);
        }
        out.put(domain, version);
    }

    private static long[] varint(FileChannel ch, long pos) throws IOException {
        ByteBuffer one = ByteBuffer.allocate(10);
        ch.read(one, pos);
        return varint(one.array(), 0, pos, one.position());
    }

    private static long[] varint(byte[] b, int pos) throws IOException {
        long[] r = varint(b, pos, 0, b.length);
        return r;
    }

    /** {value, position after it}; {@code base} is added to the returned position. */
    private static long[] varint(byte[] b, int start, long base, int limit) throws IOException {
        long value = 0;
        for (int i = 0; i < 10 && start + i < limit; i++) {
            int x = b[start + i] & 0xff;
            value |= (long) (x & 0x7f) << (7 * i);
            if ((x & 0x80) == 0) return new long[] {value, base + start + i + 1};
        }
        throw new IOException("not an ONNX model (bad varint)");
    }
}
