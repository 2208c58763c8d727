package org.seggateway.dicomio.seg;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.zip.GZIPInputStream;
import org.seggateway.dicomio.volume.VolumeGeometry;

/**
 * Reads a label map from a file, for a given grid.
 *
 * <ul>
 * <li><b>Raw</b>: unsigned 8-bit labels, one byte per voxel, in the grid's voxel order (x fastest, then
 * y, then z in slice order, see {@link VolumeGeometry}); the file size must be width x height x depth.
 * <li><b>NRRD</b> (chosen by a {@code .nrrd} or {@code .nhdr} name or the {@code NRRD} magic): type
 * uint8/uchar, dimension 3, sizes equal to width height depth (NRRD's first axis is the fastest, our x),
 * encoding raw or gzip, attached data or a detached {@code data file}. Spatial fields (space directions,
 * origin) are not checked: the label map must already be on the series' grid.
 * </ul>
 */
public final class LabelMapFiles {
    private static final Set<String> UINT8 = Set.of("uint8", "uchar", "unsigned char", "uint8_t");

    private LabelMapFiles() {}

    public static LabelMap read(Path file, VolumeGeometry grid) throws IOException {
        return isNrrd(file) ? readNrrd(file, grid) : readRaw(file, grid);
    }

    public static LabelMap readRaw(Path file, VolumeGeometry grid) throws IOException {
        long expected = grid.voxelCount(), size = Files.size(file);
        if (size != expected)
            throw new IOException("raw label map " + file + " has " + size + " bytes, the series grid "
                    + dims(grid) + " needs " + expected + " (one uint8 per voxel)");
        return new LabelMap(grid.width(), grid.height(), grid.depth(), Files.readAllBytes(file));
    }

    static boolean isNrrd(Path file) throws IOException {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        if (name.endsWith(".nrrd") || name.endsWith(".nhdr")) return true;
        try (InputStream in = Files.newInputStream(file)) {
            byte[] magic = in.readNBytes(4);
            return new String(magic, StandardCharsets.US_ASCII).equals("NRRD");
        }
    }

    public static LabelMap readNrrd(Path file, VolumeGeometry grid) throws IOException {
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file))) {
            String magic = line(in, file);
            if (magic == null || !magic.startsWith("NRRD"))
                throw new IOException("not a NRRD file (no NRRD magic line): " + file);
            Map<String, String> fields = new LinkedHashMap<>();
            for (String line = line(in, file); line != null && !line.isEmpty(); line = line(in, file)) {
                if (line.startsWith("#") || line.contains(":=")) continue; // comments, key/value pairs
                int colon = line.indexOf(": ");
                if (colon < 0) throw new IOException("NRRD " + file + ": malformed header line: " + line);
                fields.put(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), line.substring(colon + 2).trim());
            }
            String type = require(fields, "type", file).toLowerCase(Locale.ROOT);
            if (!UINT8.contains(type))
                throw new IOException("NRRD " + file + ": type '" + type + "' is not supported, labels must be uint8");
            if (!require(fields, "dimension", file).equals("3"))
                throw new IOException("NRRD " + file + ": dimension " + fields.get("dimension") + ", 3 expected");
            String sizes = require(fields, "sizes", file), expected = grid.width() + " " + grid.height() + " " + grid.depth();
            if (!String.join(" ", sizes.trim().split("\\s+")).equals(expected))
                throw new IOException("NRRD " + file + ": sizes " + sizes + " do not match the series grid " + expected);
            String encoding = require(fields, "encoding", file).toLowerCase(Locale.ROOT);
            String dataFile = fields.containsKey("data file") ? fields.get("data file") : fields.get("datafile");
            if (dataFile != null) {
                if (dataFile.startsWith("LIST") || dataFile.contains("%"))
                    throw new IOException("NRRD " + file + ": only a single detached data file is supported, not " + dataFile);
                Path data = file.resolveSibling(dataFile);
                try (InputStream detached = new BufferedInputStream(Files.newInputStream(data))) {
                    return payload(detached, fields, encoding, grid, data);
                }
            }
            if (file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".nhdr"))
                throw new IOException("NRRD header " + file + " names no data file");
            return payload(in, fields, encoding, grid, file);
        }
    }

    private static LabelMap payload(InputStream in, Map<String, String> fields, String encoding, VolumeGeometry grid,
                                    Path source) throws IOException {
        int lineSkip = skip(fields, "line skip", source), byteSkip = skip(fields, "byte skip", source);
        for (int i = 0; i < lineSkip; i++)
            if (line(in, source) == null) throw new IOException("NRRD data " + source + " ends within its line skip");
        InputStream data = switch (encoding) {
            case "raw" -> in;
            case "gzip", "gz" -> new GZIPInputStream(in, 1 << 16);
            default -> throw new IOException("NRRD " + source + ": encoding '" + encoding + "' is not supported (raw or gzip)");
        };
        // byte skip counts decoded bytes for gzip too (teem's reading of the NRRD format)
        if (byteSkip > 0) data.skipNBytes(byteSkip);
        int n = Math.toIntExact(grid.voxelCount());
        byte[] labels = data.readNBytes(n);
        if (labels.length < n)
            throw new IOException("NRRD data " + source + " holds " + labels.length + " voxels, the grid " + dims(grid)
                    + " needs " + n);
        if (data.read() >= 0)
            throw new IOException("NRRD data " + source + " holds more than the " + n + " voxels of " + dims(grid));
        return new LabelMap(grid.width(), grid.height(), grid.depth(), labels);
    }

    private static int skip(Map<String, String> fields, String key, Path file) throws IOException {
        String value = fields.get(key);
        if (value == null) return 0;
        try {
            int skip = Integer.parseInt(value);
            if (skip < 0) throw new NumberFormatException();
            return skip;
        } catch (NumberFormatException e) {
            throw new IOException("NRRD " + file + ": " + key + " must be a non-negative integer, not " + value);
        }
    }

    private static String require(Map<String, String> fields, String key, Path file) throws IOException {
        String value = fields.get(key);
        if (value == null) throw new IOException("NRRD " + file + " has no '" + key + "' field");
        return value;
    }

    /** One header line without its line end, or null at the end of the stream. */
    private static String line(InputStream in, Path file) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) >= 0 && b != '\n') {
            if (bytes.size() > 65536) throw new IOException("NRRD " + file + ": header line too long (not a NRRD header?)");
            bytes.write(b);
        }
        if (b < 0 && bytes.size() == 0) return null;
        String s = bytes.toString(StandardCharsets.US_ASCII);
        return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
    }

    private static String dims(VolumeGeometry g) {
        return g.width() + "x" + g.height() + "x" + g.depth();
    }
}
