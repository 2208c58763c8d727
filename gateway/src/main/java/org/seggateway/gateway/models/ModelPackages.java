package org.seggateway.gateway.models;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.seggateway.dicomio.seg.Code;
import org.seggateway.dicomio.seg.SegmentDescription;
import org.seggateway.gateway.config.GatewayConfig;

/**
 * Reads the {@code model.json} of the model packages that routes name (see inference/docs/model-package.md):
 * name, version and labels. Relative references resolve against {@code seg-gateway.model-root}.
 */
@ApplicationScoped
public class ModelPackages {
    public static final String MANIFEST = "model.json";
    private static final ObjectMapper JSON = new ObjectMapper();
    private final Path root;

    ModelPackages(GatewayConfig config) {
        this.root = config.modelRoot().orElse(Path.of("")).toAbsolutePath().normalize();
    }

    public Path resolve(String reference) {
        return root.resolve(reference).normalize();
    }

    public ModelInfo read(String reference) throws ModelPackageException {
        if (reference == null || reference.isBlank()) throw new ModelPackageException("the job names no model package");
        Path directory = resolve(reference);
        Path manifest = directory.resolve(MANIFEST);
        if (!Files.isRegularFile(manifest))
            throw new ModelPackageException("model package '" + reference + "': no " + MANIFEST + " in " + directory);
        JsonNode root;
        try {
            root = JSON.readTree(manifest.toFile());
        } catch (IOException e) {
            throw new ModelPackageException(manifest + " is not readable JSON: " + e.getMessage().lines().findFirst().orElse(""), e);
        }
        String name = text(root, "name", manifest.toString());
        String version = text(root, "version", manifest.toString());
        JsonNode labels = root.get("labels");
        if (labels == null || !labels.isArray() || labels.isEmpty())
            throw new ModelPackageException(manifest + ": field 'labels' must be a non-empty array");
        List<SegmentDescription> segments = new ArrayList<>();
        for (int i = 0; i < labels.size(); i++) {
            JsonNode n = labels.get(i);
            String where = manifest + ", labels[" + i + "]";
            if (n.get("value") == null || !n.get("value").isIntegralNumber())
                throw new ModelPackageException(where + ": 'value' must be an integer");
            try {
                segments.add(new SegmentDescription(n.get("value").asInt(), text(n, "name", where), code(n, "category", where),
                        code(n, "type", where), name, version, color(n, where)));
            } catch (IllegalArgumentException e) {
                throw new ModelPackageException(where + ": " + e.getMessage(), e);
            }
        }
        return new ModelInfo(directory, name, version, segments);
    }

    private static Code code(JsonNode n, String field, String where) throws ModelPackageException {
        JsonNode c = n.get(field);
        if (c == null || !c.isObject()) throw new ModelPackageException(where + ": '" + field + "' must be {code, scheme, meaning}");
        return new Code(text(c, "code", where + "." + field), text(c, "scheme", where + "." + field),
                text(c, "meaning", where + "." + field));
    }

    private static int[] color(JsonNode n, String where) throws ModelPackageException {
        JsonNode c = n.get("color");
        if (c == null || c.isNull()) return null;
        if (!c.isArray() || c.size() != 3) throw new ModelPackageException(where + ": 'color' must be [r, g, b]");
        int[] rgb = new int[3];
        for (int k = 0; k < 3; k++) {
            JsonNode v = c.get(k);
            if (!v.isIntegralNumber() || v.asInt() < 0 || v.asInt() > 255)
                throw new ModelPackageException(where + ": 'color' values must be integers 0..255");
            rgb[k] = v.asInt();
        }
        return rgb;
    }

    private static String text(JsonNode n, String field, String where) throws ModelPackageException {
        JsonNode v = n.get(field);
        if (v == null || !v.isTextual() || v.asText().isBlank())
            throw new ModelPackageException(where + ": '" + field + "' must be a non-empty string");
        return v.asText();
    }
}
