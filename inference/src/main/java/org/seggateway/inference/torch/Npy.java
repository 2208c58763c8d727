package org.seggateway.inference.torch;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** NumPy {@code .npy} files (format version 1.0, C order, little endian): float32 and uint8 arrays. */
public final class Npy {
    private Npy() {}

    /** An array read from a file: its shape and its values (one of the two arrays is set). */
    public record Array(int[] shape, float[] float32, byte[] uint8) {}

    public static void writeFloat32(Path file, float[] data, int... shape) throws IOException {
        check(data.length, shape);
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 20)) {
            out.write(header("<f4", shape));
            ByteBuffer b = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN);
            for (float v : data) {
                if (!b.hasRemaining()) {
                    out.write(b.array(), 0, b.position());
                    b.clear();
                }
                b.putFloat(v);
            }
            out.write(b.array(), 0, b.position());
        }
    }

    public static void writeUint8(Path file, byte[] data, int... shape) throws IOException {
        check(data.length, shape);
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file))) {
            out.write(header("|u1", shape));
            out.write(data);
        }
    }

    public static Array read(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer all = ch.map(FileChannel.MapMode.READ_ONLY, 0, ch.size()).order(ByteOrder.LITTLE_ENDIAN);
            byte[] magic = new byte[6];
            all.get(magic);
            if (magic[0] != (byte) 0x93 || !new String(magic, 1, 5, StandardCharsets.ISO_8859_1).equals("NUMPY"))
                throw new IOException(file + ": not a .npy file");
            int major = all.get() & 0xFF;
            all.get();
            int headerLength = major == 1 ? all.getShort() & 0xFFFF : all.getInt();
            byte[] h = new byte[headerLength];
            all.get(h);
            String header = new String(h, StandardCharsets.ISO_8859_1);
            String descr = group(header, "'descr':\\s*'([^']+)'", file);
            if (group(header, "'fortran_order':\\s*(\\w+)", file).equals("True")) throw new IOException(file + ": Fortran order not supported");
            String shapeText = group(header, "'shape':\\s*\\(([^)]*)\\)", file).trim();
            int[] shape = shapeText.isEmpty() ? new int[0]
                    : Arrays.stream(shapeText.split(",")).map(String::trim).filter(s -> !s.isEmpty()).mapToInt(Integer::parseInt).toArray();
            int count = Math.toIntExact(Arrays.stream(shape).asLongStream().reduce(1, (a, b) -> a * b));
            ByteBuffer body = all.slice().order(ByteOrder.LITTLE_ENDIAN);
            return switch (descr) {
                case "<f4" -> {
                    float[] v = new float[count];
                    body.asFloatBuffer().get(v);
                    yield new Array(shape, v, null);
                }
                case "|u1", "<u1", "|b1" -> {
                    byte[] v = new byte[count];
                    body.get(v);
                    yield new Array(shape, null, v);
                }
                default -> throw new IOException(file + ": dtype " + descr + " not supported (float32 or uint8)");
            };
        }
    }

    private static String group(String header, String regex, Path file) throws IOException {
        Matcher m = Pattern.compile(regex).matcher(header);
        if (!m.find()) throw new IOException(file + ": .npy header without " + regex + ": " + header);
        return m.group(1);
    }

    private static byte[] header(String descr, int[] shape) {
        String dims = Arrays.stream(shape).mapToObj(Integer::toString).collect(java.util.stream.Collectors.joining(", "));
        if (shape.length == 1) dims += ",";
        StringBuilder s = new StringBuilder("{'descr': '" + descr + "', 'fortran_order': False, 'shape': (" + dims + "), }");
        int total = 10 + s.length() + 1;
        int pad = (64 - total % 64) % 64;
        s.append(" ".repeat(pad)).append('\n');
        byte[] text = s.toString().getBytes(StandardCharsets.ISO_8859_1);
        ByteBuffer b = ByteBuffer.allocate(10 + text.length).order(ByteOrder.LITTLE_ENDIAN);
        b.put((byte) 0x93).put("NUMPY".getBytes(StandardCharsets.ISO_8859_1)).put((byte) 1).put((byte) 0);
        b.putShort((short) text.length).put(text);
        return b.array();
    }

    private static void check(int length, int[] shape) {
        long n = Arrays.stream(shape).asLongStream().reduce(1, (a, b) -> a * b);
        if (n != length) throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " needs " + n + " values, got " + length);
    }
}
