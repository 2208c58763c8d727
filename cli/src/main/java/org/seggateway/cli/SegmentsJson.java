package org.seggateway.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.seggateway.dicomio.seg.Code;
import org.seggateway.dicomio.seg.SegmentDescription;

/**
 * Reads SEGMENTS.json: a JSON array shaped like the {@code labels} of a model package's model.json
 * (docs/model-package.md), so a model's labels can be passed as they are:
 * <pre>
 * [ { "value": 1, "name": "Liver",
 *     "category": { "code": "123037004", "scheme": "SCT", "meaning": "Anatomical Structure" },
 *     "type":     { "code": "10200004",  "scheme": "SCT", "meaning": "Liver" },
 *     "color": [221, 130, 101],
 *     "algorithmName": "demo-abdomen-unet", "algorithmVersion": "1.0.0" } ]
 * </pre>
 * {@code color}, {@code algorithmName} and {@code algorithmVersion} are optional; missing algorithm
 * fields take the given defaults.
 */
final class SegmentsJson {
    private SegmentsJson() {}

    static List<SegmentDescription> read(Path file, String defaultAlgorithmName, String defaultAlgorithmVersion)
            throws IOException {
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(file.toFile());
        } catch (IOException e) {
            throw new IOException("segments file " + file + " is not valid JSON: " + e.getMessage().lines().findFirst().orElse(""), e);
        }
        if (root == null || !root.isArray() || root.isEmpty())
            throw new IOException("segments file " + file + " must hold a non-empty JSON array of labels");
        List<SegmentDescription> segments = new ArrayList<>();
        for (int i = 0; i < root.size(); i++) {
            JsonNode n = root.get(i);
            String where = "segments file " + file + ", entry " + i;
            try {
                int value = integer(n, "value", where);
                String name = text(n, "name", where);
                Code category = code(n, "category", where), type = code(n, "type", where);
                String algorithm = n.hasNonNull("algorithmName") ? text(n, "algorithmName", where) : defaultAlgorithmName;
                String version = n.hasNonNull("algorithmVersion") ? text(n, "algorithmVersion", where) : defaultAlgorithmVersion;
                segments.add(new SegmentDescription(value, name, category, type, algorithm, version, color(n, where)));
            } catch (IllegalArgumentException e) {
                throw new IOException(where + ": " + e.getMessage(), e);
            }
        }
        return segments;
    }

    private static Code code(JsonNode n, String field, String where) throws IOException {
        JsonNode c = n.get(field);
        if (c == null || !c.isObject()) throw new IOException(where + ": '" + field + "' must be an object {code, scheme, meaning}");
        return new Code(text(c, "code", where + " " + field), text(c, "scheme", where + " " + field),
                text(c, "meaning", where + " " + field));
    }

    private static int[] color(JsonNode n, String where) throws IOException {
        JsonNode c = n.get("color");
        if (c == null || c.isNull()) return null;
        if (!c.isArray() || c.size() != 3) throw new IOException(where + ": 'color' must be [r, g, b]");
        int[] rgb = new int[3];
        for (int k = 0; k < 3; k++) {
            if (!c.get(k).isIntegralNumber() || c.get(k).asInt() < 0 || c.get(k).asInt() > 255)
                throw new IOException(where + ": 'color' values must be integers 0..255");
            rgb[k] = c.get(k).asInt();
        }
        return rgb;
    }

    private static int integer(JsonNode n, String field, String where) throws IOException {
        JsonNode v = n.get(field);
        if (v == null || !v.isIntegralNumber()) throw new IOException(where + ": '" + field + "' must be an integer");
        return v.asInt();
    }

    private static String text(JsonNode n, String field, String where) throws IOException {
        JsonNode v = n.get(field);
        if (v == null || !v.isTextual() || v.asText().isBlank())
            throw new IOException(where + ": '" + field + "' must be a non-empty string");
        return v.asText();
    }
}
