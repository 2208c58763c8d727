package org.seggateway.inference.model;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.seggateway.dicomio.seg.Code;

/**
 * Reads and validates {@code model.json}. Every problem is a {@link ModelPackageException} whose message
 * names the file and the field, e.g. {@code models/x/model.json: field 'patchSize': needs 3 positive integers}.
 */
public final class ManifestReader {

    private static final Set<String> FIELDS = Set.of("name", "version", "description", "onnx", "input", "output",
            "patchSize", "outputPatchSize", "targetSpacing", "orientation", "normalization", "padding", "overlap",
            "blending", "mirrorAxes", "batchSize", "labels", "flopsPerWindow", "pytorch", "metrics");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path file;

    private ManifestReader(Path file) {
        this.file = file;
    }

    public static ModelManifest read(Path manifestFile) {
        if (!Files.isRegularFile(manifestFile))
            throw new ModelPackageException("model package " + manifestFile.getParent() + ": missing " + manifestFile.getFileName());
        JsonNode root;
        try {
            root = JSON.readTree(Files.readString(manifestFile));
        } catch (JsonProcessingException e) {
            throw new ModelPackageException(manifestFile + ": not valid JSON: " + e.getOriginalMessage()
                    + " (line " + e.getLocation().getLineNr() + ")", e);
        } catch (IOException e) {
            throw new ModelPackageException(manifestFile + ": cannot read: " + e.getMessage(), e);
        }
        return new ManifestReader(manifestFile).parse(root);
    }

    private ModelManifest parse(JsonNode root) {
        if (root == null || !root.isObject()) throw error("(root)", "must be a JSON object");
        for (Iterator<String> it = root.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!FIELDS.contains(f)) throw error(f, "unknown field (known: " + String.join(", ", FIELDS.stream().sorted().toList()) + ")");
        }
        String name = text(root, "name", true);
        String version = text(root, "version", true);
        String description = root.has("description") ? text(root, "description", false) : "";
        String onnx = root.has("onnx") ? text(root, "onnx", true) : "model.onnx";

        JsonNode input = object(root, "input");
        String inputName = text(input, "input.name", "name");
        int inputChannels = positiveInt(input, "input.channels", "channels");
        if (inputChannels != 1) throw error("input.channels", "only single-channel models are supported, got " + inputChannels);

        JsonNode output = object(root, "output");
        String outputName = text(output, "output.name", "name");
        int outputChannels = positiveInt(output, "output.channels", "channels");
        OutputKind kind = switch (text(output, "output.kind", "kind")) {
            case "softmax" -> OutputKind.SOFTMAX;
            case "sigmoid" -> OutputKind.SIGMOID;
            case String other -> throw error("output.kind", "must be \"softmax\" or \"sigmoid\", got \"" + other + "\"");
        };
        if (kind == OutputKind.SOFTMAX && outputChannels < 2)
            throw error("output.channels", "a softmax output needs at least 2 channels (background + labels), got " + outputChannels);

        Shape3 patch = Shape3.fromZyx(ints3(root, "patchSize"));
        Shape3 outputPatch = root.has("outputPatchSize") ? Shape3.fromZyx(ints3(root, "outputPatchSize")) : patch;
        for (int a = 0; a < 3; a++) {
            int d = patch.get(a) - outputPatch.get(a);
            if (d < 0 || d % 2 != 0)
                throw error("outputPatchSize", "must not exceed patchSize and differ from it by an even number per axis: "
                        + outputPatch + " vs patchSize " + patch);
        }

        double[] spacing = null;
        JsonNode sp = require(root, "targetSpacing");
        if (!(sp.isTextual() && sp.asText().equals("native"))) {
            double[] zyx = numbers(sp, "targetSpacing", 3);
            for (double v : zyx) if (!(v > 0)) throw error("targetSpacing", "spacings must be positive mm, got " + sp);
            spacing = new double[] {zyx[2], zyx[1], zyx[0]};
        }

        String orientation = text(root, "orientation", true).toUpperCase(Locale.ROOT);
        if (orientation.equals("NATIVE")) orientation = null;
        else checkOrientation(orientation);

        Normalization normalization = normalization(object(root, "normalization"));
        Padding padding = root.has("padding") ? padding(object(root, "padding")) : new Padding(Padding.Kind.CONSTANT, 0);

        double overlap = root.has("overlap") ? number(root.get("overlap"), "overlap") : 0.5;
        if (!(overlap >= 0 && overlap <= 0.95)) throw error("overlap", "must be a fraction in [0, 0.95], got " + overlap);

        Blending blending = Blending.GAUSSIAN;
        if (root.has("blending")) blending = switch (text(root, "blending", true)) {
            case "gaussian" -> Blending.GAUSSIAN;
            case "constant" -> Blending.CONSTANT;
            case String other -> throw error("blending", "must be \"gaussian\" or \"constant\", got \"" + other + "\"");
        };

        boolean[] mirror = new boolean[3];
        if (root.has("mirrorAxes")) {
            JsonNode m = root.get("mirrorAxes");
            if (!m.isArray()) throw error("mirrorAxes", "must be an array of \"x\", \"y\", \"z\"");
            for (JsonNode axis : m) {
                int a = switch (axis.asText()) {
                    case "x" -> 0;
                    case "y" -> 1;
                    case "z" -> 2;
                    default -> throw error("mirrorAxes", "unknown axis " + axis + " (use \"x\", \"y\", \"z\")");
                };
                if (mirror[a]) throw error("mirrorAxes", "axis " + axis + " listed twice");
                mirror[a] = true;
            }
        }

        int batchSize = root.has("batchSize") ? positiveInt(root, "batchSize", "batchSize") : 1;
        List<LabelSpec> labels = labels(root, kind, outputChannels);
        double flops = 0;
        if (root.has("flopsPerWindow")) {
            flops = number(root.get("flopsPerWindow"), "flopsPerWindow");
            if (!(flops > 0)) throw error("flopsPerWindow", "must be a positive number, got " + flops);
        }
        return new ModelManifest(name, version, description, onnx, inputName, inputChannels, outputName, outputChannels,
                kind, patch, outputPatch, spacing, orientation, normalization, padding, overlap, blending, mirror,
                batchSize, labels, flops);
    }

    private void checkOrientation(String code) {
        if (code.length() != 3) throw error("orientation", "must be 3 letters like \"LPS\" or \"native\", got \"" + code + "\"");
        boolean[] seen = new boolean[3];
        for (char c : code.toCharArray()) {
            int axis = "LR".indexOf(c) >= 0 ? 0 : "PA".indexOf(c) >= 0 ? 1 : "SI".indexOf(c) >= 0 ? 2 : -1;
            if (axis < 0) throw error("orientation", "letter '" + c + "' is not one of L, R, P, A, S, I in \"" + code + "\"");
            if (seen[axis]) throw error("orientation", "\"" + code + "\" names the same patient axis twice");
            seen[axis] = true;
        }
    }

    private Normalization normalization(JsonNode n) {
        String kind = text(n, "normalization.kind", "kind");
        return switch (kind) {
            case "ct-zscore" -> {
                double[] clip = numbers(require(n, "normalization.clip", "clip"), "normalization.clip", 2);
                checkRange(clip, "normalization.clip");
                double std = number(require(n, "normalization.std", "std"), "normalization.std");
                if (!(std > 0)) throw error("normalization.std", "must be positive, got " + std);
                yield new Normalization.CtZScore(clip[0], clip[1],
                        number(require(n, "normalization.mean", "mean"), "normalization.mean"), std);
            }
            case "ct-window" -> {
                double[] w = numbers(require(n, "normalization.window", "window"), "normalization.window", 2);
                checkRange(w, "normalization.window");
                yield new Normalization.CtWindow(w[0], w[1]);
            }
            case "mr-zscore" -> new Normalization.MrZScore(n.has("foregroundThreshold")
                    ? number(n.get("foregroundThreshold"), "normalization.foregroundThreshold") : 0);
            case "none" -> new Normalization.None();
            default -> throw error("normalization.kind",
                    "must be one of ct-zscore, ct-window, mr-zscore, none, got \"" + kind + "\"");
        };
    }

    private void checkRange(double[] range, String field) {
        if (!(range[0] < range[1])) throw error(field, "needs [lo, hi] with lo < hi, got [" + range[0] + ", " + range[1] + "]");
    }

    private Padding padding(JsonNode p) {
        String kind = text(p, "padding.kind", "kind");
        return switch (kind) {
            case "constant" -> new Padding(Padding.Kind.CONSTANT, number(require(p, "padding.value", "value"), "padding.value"));
            case "mirror" -> Padding.mirror();
            default -> throw error("padding.kind", "must be \"constant\" or \"mirror\", got \"" + kind + "\"");
        };
    }

    private List<LabelSpec> labels(JsonNode root, OutputKind kind, int channels) {
        JsonNode array = require(root, "labels");
        if (!array.isArray() || array.isEmpty()) throw error("labels", "must be a non-empty array");
        int expected = kind == OutputKind.SOFTMAX ? channels - 1 : channels;
        if (array.size() != expected)
            throw error("labels", "a " + kind.name().toLowerCase(Locale.ROOT) + " output of " + channels + " channels needs "
                    + expected + " labels, got " + array.size());
        List<LabelSpec> labels = new ArrayList<>();
        for (int i = 0; i < array.size(); i++) {
            JsonNode l = array.get(i);
            String f = "labels[" + i + "]";
            if (!l.isObject()) throw error(f, "must be an object");
            int value = positiveInt(l, f + ".value", "value");
            if (value != i + 1) throw error(f + ".value", "label values must be 1, 2, ... in channel order; expected " + (i + 1) + ", got " + value);
            String name = text(l, f + ".name", "name");
            Code category = code(l, f + ".category", "category");
            Code type = code(l, f + ".type", "type");
            int[] color = null;
            if (l.has("color")) {
                JsonNode c = l.get("color");
                if (!c.isArray() || c.size() != 3) throw error(f + ".color", "must be [r, g, b] with values 0..255");
                color = new int[3];
                for (int k = 0; k < 3; k++) {
                    if (!c.get(k).isInt() || c.get(k).asInt() < 0 || c.get(k).asInt() > 255)
                        throw error(f + ".color", "must be [r, g, b] with values 0..255, got " + c);
                    color[k] = c.get(k).asInt();
                }
            }
            labels.add(new LabelSpec(value, name, category, type, color));
        }
        return labels;
    }

    private Code code(JsonNode parent, String field, String key) {
        JsonNode c = require(parent, field, key);
        if (!c.isObject()) throw error(field, "must be an object with code, scheme, meaning");
        return new Code(text(c, field + ".code", "code"), text(c, field + ".scheme", "scheme"),
                text(c, field + ".meaning", "meaning"));
    }

    // ---- field helpers: each names the field in its error ----

    private JsonNode object(JsonNode parent, String key) {
        JsonNode n = require(parent, key);
        if (!n.isObject()) throw error(key, "must be an object");
        return n;
    }

    private JsonNode require(JsonNode parent, String key) {
        return require(parent, key, key);
    }

    private JsonNode require(JsonNode parent, String field, String key) {
        JsonNode n = parent.get(key);
        if (n == null || n.isNull()) throw error(field, "is missing");
        return n;
    }

    private String text(JsonNode parent, String key, boolean nonBlank) {
        JsonNode n = require(parent, key);
        if (!n.isTextual()) throw error(key, "must be a string, got " + n);
        if (nonBlank && n.asText().isBlank()) throw error(key, "must not be empty");
        return n.asText();
    }

    private String text(JsonNode parent, String field, String key) {
        JsonNode n = require(parent, field, key);
        if (!n.isTextual() || n.asText().isBlank()) throw error(field, "must be a non-empty string, got " + n);
        return n.asText();
    }

    private int positiveInt(JsonNode parent, String field, String key) {
        JsonNode n = require(parent, field, key);
        if (!n.isInt() || n.asInt() < 1) throw error(field, "must be a positive integer, got " + n);
        return n.asInt();
    }

    private int[] ints3(JsonNode parent, String key) {
        JsonNode n = require(parent, key);
        if (!n.isArray() || n.size() != 3) throw error(key, "needs 3 positive integers [z, y, x], got " + n);
        int[] v = new int[3];
        for (int i = 0; i < 3; i++) {
            if (!n.get(i).isInt() || n.get(i).asInt() < 1) throw error(key, "needs 3 positive integers [z, y, x], got " + n);
            v[i] = n.get(i).asInt();
        }
        return v;
    }

    private double[] numbers(JsonNode n, String field, int count) {
        if (!n.isArray() || n.size() != count) throw error(field, "needs " + count + " numbers, got " + n);
        double[] v = new double[count];
        for (int i = 0; i < count; i++) v[i] = number(n.get(i), field);
        return v;
    }

    private double number(JsonNode n, String field) {
        if (n == null || !n.isNumber()) throw error(field, "must be a number, got " + n);
        return n.asDouble();
    }

    private ModelPackageException error(String field, String problem) {
        return new ModelPackageException(file + ": field '" + field + "': " + problem);
    }
}
