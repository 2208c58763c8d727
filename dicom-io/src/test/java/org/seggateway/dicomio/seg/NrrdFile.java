package org.seggateway.dicomio.seg;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.GZIPInputStream;

/**
 * A 3D NRRD file (attached header, raw or gzip encoding, integer types) as written by 3D Slicer and dcmqi, for
 * comparing label maps: the samples in file order (first axis fastest) and the geometry in LPS millimetres.
 *
 * @param sizes      samples along each axis, first axis fastest
 * @param directions per axis the step vector in LPS millimetres (space directions, converted from RAS if need be)
 * @param origin     the first sample's position in LPS millimetres (space origin)
 */
record NrrdFile(Map<String, String> fields, int[] sizes, double[][] directions, double[] origin, int[] values) {

    static NrrdFile read(Path file) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        String where = "NRRD " + file;
        if (bytes.length < 8 || !new String(bytes, 0, 4, StandardCharsets.US_ASCII).equals("NRRD"))
            throw new IOException(where + ": no NRRD magic");
        Map<String, String> fields = new LinkedHashMap<>();
        int pos = 0;
        boolean first = true;
        while (true) {
            int end = pos;
            while (end < bytes.length && bytes[end] != '\n') end++;
            if (end == bytes.length) throw new IOException(where + ": header has no blank line before the data");
            String line = new String(bytes, pos, end - pos, StandardCharsets.US_ASCII).stripTrailing();
            pos = end + 1;
            if (first) {
                first = false;
                continue;   // NRRD000n
            }
            if (line.isEmpty()) break;
            if (line.startsWith("#")) continue;
            int colon = line.indexOf(": ");
            if (colon < 0) continue;   // key:=value pairs are comments for this purpose
            fields.put(line.substring(0, colon).trim(), line.substring(colon + 2).trim());
        }
        if (fields.containsKey("data file")) throw new IOException(where + ": detached data is not read");
        int dimension = Integer.parseInt(required(fields, "dimension", where));
        if (dimension != 3) throw new IOException(where + ": dimension " + dimension + ", 3 expected");
        String[] sizeText = required(fields, "sizes", where).split("\\s+");
        int[] sizes = new int[3];
        for (int i = 0; i < 3; i++) sizes[i] = Integer.parseInt(sizeText[i]);

        String space = required(fields, "space", where);
        double flip = switch (space) {
            case "left-posterior-superior", "LPS" -> 1;
            case "right-anterior-superior", "RAS" -> -1;
            default -> throw new IOException(where + ": space '" + space + "' is not read");
        };
        double[][] directions = vectors(required(fields, "space directions", where), 3, where);
        double[] origin = vectors(required(fields, "space origin", where), 1, where)[0];
        for (double[] v : new double[][] {directions[0], directions[1], directions[2], origin}) {
            v[0] *= flip;
            v[1] *= flip;
        }

        InputStream data = new ByteArrayInputStream(bytes, pos, bytes.length - pos);
        String encoding = required(fields, "encoding", where);
        data = switch (encoding) {
            case "raw" -> data;
            case "gzip", "gz" -> new GZIPInputStream(data);
            default -> throw new IOException(where + ": encoding '" + encoding + "' is not read");
        };
        String type = required(fields, "type", where);
        int width = switch (type) {
            case "uchar", "unsigned char", "uint8", "uint8_t", "signed char", "int8", "int8_t" -> 1;
            case "short", "short int", "signed short", "int16", "int16_t", "ushort", "unsigned short", "uint16", "uint16_t" -> 2;
            case "int", "signed int", "int32", "int32_t", "uint", "unsigned int", "uint32", "uint32_t" -> 4;
            default -> throw new IOException(where + ": type '" + type + "' is not read");
        };
        boolean unsigned = type.startsWith("u");
        int count = Math.multiplyExact(Math.multiplyExact(sizes[0], sizes[1]), sizes[2]);
        byte[] raw = data.readNBytes(count * width);
        if (raw.length != count * width)
            throw new IOException(where + ": " + raw.length + " data bytes, " + count * width + " expected");
        ByteBuffer buffer = ByteBuffer.wrap(raw).order("big".equals(fields.get("endian")) ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN);
        int[] values = new int[count];
        for (int i = 0; i < count; i++)
            values[i] = switch (width) {
                case 1 -> unsigned ? buffer.get() & 0xFF : buffer.get();
                case 2 -> unsigned ? buffer.getShort() & 0xFFFF : buffer.getShort();
                default -> buffer.getInt();
            };
        return new NrrdFile(fields, sizes, directions, origin, values);
    }

    /** The position of sample (i, j, k) in LPS millimetres. */
    double[] position(int i, int j, int k) {
        double[] p = origin.clone();
        for (int r = 0; r < 3; r++) p[r] += i * directions[0][r] + j * directions[1][r] + k * directions[2][r];
        return p;
    }

    int value(int i, int j, int k) {
        return values[i + sizes[0] * (j + sizes[1] * k)];
    }

    private static String required(Map<String, String> fields, String name, String where) throws IOException {
        String value = fields.get(name);
        if (value == null) throw new IOException(where + ": header field '" + name + "' missing");
        return value;
    }

    /** {@code (a,b,c) (d,e,f) ...}: {@code n} vectors of 3. */
    private static double[][] vectors(String text, int n, String where) throws IOException {
        String[] groups = text.replace(" ", "").split("\\)\\(");
        if (groups.length != n) throw new IOException(where + ": '" + text + "' is not " + n + " vector(s)");
        double[][] out = new double[n][3];
        for (int g = 0; g < n; g++) {
            String[] parts = groups[g].replace("(", "").replace(")", "").split(",");
            if (parts.length != 3) throw new IOException(where + ": '" + groups[g] + "' is not a 3-vector");
            for (int r = 0; r < 3; r++) out[g][r] = Double.parseDouble(parts[r]);
        }
        return out;
    }
}
