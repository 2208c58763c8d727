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

    /** The top-level fields model.json may have; docs/model-package.md documents each (ManifestFieldsDocumentedTest). */
    static final Set<String> FIELDS = Set.of("name", "version", "description", "onnx", "input", "output",
            "patchSize", "outputPatchSize", "targetSpacing", "targetShape", "resampling", "orientation", "normalization",
            "padding", "overlap", "blending", "mirrorAxes", "batchSize", "labels", "flopsPerWindow", "pytorch", "metrics");
    private static final ObjectMapper JSON = new ObjectMapper();

    private static final Set<String> RESAMPLING_FIELDS = Set.of("image", "antialias");
    private static final Set<String> PERCENTILE_FIELDS = Set.of("kind", "percentile_00_5", "percentile_99_5", "mean", "std");
    private static final Set<String> LABEL_FIELDS = Set.of("value", "name", "category", "type", "typeModifier", "color", "channel");
    private static final int MAX_LABEL_VALUE = 255;

    private final Path file;
    private final LabelCodes labelCodes;

    private ManifestReader(Path file, LabelCodes labelCodes) {
        this.file = file;
        this.labelCodes = labelCodes;
    }

    /** Reads a manifest; a label that gives only a {@code name} takes its codes from the built-in table ({@link BuiltInLabelCodes}). */
    public static ModelManifest read(Path manifestFile) {
        return read(manifestFile, BuiltInLabelCodes.INSTANCE);
    }

    /** Reads a manifest; a label that gives only a {@code name} takes its codes from {@code labelCodes}. */
    public static ModelManifest read(Path manifestFile, LabelCodes labelCodes) {
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
        return new ManifestReader(manifestFile, labelCodes).parse(root);
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
        List<String> onnx = root.has("onnx") ? onnxFiles(root.get("onnx")) : List.of("model.onnx");

        JsonNode input = object(root, "input");
        String inputName = text(input, "input.name", "name");
        int inputChannels = positiveInt(input, "input.channels", "channels");

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
        Shape3 targetShape = null;
        if (root.has("targetSpacing") == root.has("targetShape"))
            throw error(root.has("targetShape") ? "targetShape" : "targetSpacing",
                    "give exactly one of targetSpacing ([z, y, x] mm or \"native\") and targetShape ([z, y, x] voxels)");
        if (root.has("targetShape")) {
            targetShape = Shape3.fromZyx(ints3(root, "targetShape"));
        } else {
            JsonNode sp = require(root, "targetSpacing");
            if (!(sp.isTextual() && sp.asText().equals("native"))) {
                double[] zyx = numbers(sp, "targetSpacing", 3);
                for (double v : zyx) if (!(v > 0)) throw error("targetSpacing", "spacings must be positive mm, got " + sp);
                spacing = new double[] {zyx[2], zyx[1], zyx[0]};
            }
        }
        ImageResampling resampling = root.has("resampling") ? resampling(object(root, "resampling")) : ImageResampling.DEFAULT;
        if (resampling.image() == ImageResampling.Interpolation.NNUNET && inputChannels != 1)
            throw error("resampling.image", "\"nnunet\" normalises before resampling, which would take one grid per input "
                    + "channel; it needs input.channels 1, got " + inputChannels);

        String orientation = text(root, "orientation", true).toUpperCase(Locale.ROOT);
        if (orientation.equals("NATIVE")) orientation = null;
        else checkOrientation(orientation);

        List<Normalization> normalizations = normalizations(require(root, "normalization"), inputChannels);
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
                kind, patch, outputPatch, spacing, targetShape, resampling, orientation, normalizations, padding, overlap,
                blending, mirror, batchSize, labels, flops);
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

    private List<String> onnxFiles(JsonNode n) {
        if (n.isTextual()) return List.of(text(n, "onnx"));
        if (!n.isArray() || n.isEmpty())
            throw error("onnx", "must be a file name or a non-empty list of file names (an ensemble), got " + n);
        List<String> files = new ArrayList<>();
        for (int i = 0; i < n.size(); i++) {
            String f = text(n.get(i), "onnx[" + i + "]");
            if (files.contains(f)) throw error("onnx[" + i + "]", "file \"" + f + "\" listed twice");
            files.add(f);
        }
        return files;
    }

    private String text(JsonNode n, String field) {
        if (!n.isTextual() || n.asText().isBlank()) throw error(field, "must be a non-empty string, got " + n);
        return n.asText();
    }

    private ImageResampling resampling(JsonNode r) {
        checkFields(r, "resampling", RESAMPLING_FIELDS);
        ImageResampling.Interpolation image = ImageResampling.DEFAULT.image();
        if (r.has("image")) image = switch (text(r, "resampling.image", "image")) {
            case "linear" -> ImageResampling.Interpolation.LINEAR;
            case "cubic" -> ImageResampling.Interpolation.CUBIC;
            case "nnunet" -> ImageResampling.Interpolation.NNUNET;
            case String other -> throw error("resampling.image", "must be \"linear\", \"cubic\" or \"nnunet\", got \"" + other + "\"");
        };
        boolean antialias = ImageResampling.DEFAULT.antialias();
        if (r.has("antialias")) {
            JsonNode a = r.get("antialias");
            if (!a.isBoolean()) throw error("resampling.antialias", "must be true or false, got " + a);
            antialias = a.asBoolean();
        }
        return new ImageResampling(image, antialias);
    }

    private List<Normalization> normalizations(JsonNode n, int channels) {
        if (n.isObject()) return java.util.Collections.nCopies(channels, normalization(n, "normalization"));
        if (!n.isArray()) throw error("normalization", "must be an object, or a list with one object per input channel");
        if (n.size() != channels)
            throw error("normalization", "a list needs one object per input channel: input.channels is " + channels
                    + ", the list has " + n.size());
        List<Normalization> list = new ArrayList<>();
        for (int i = 0; i < n.size(); i++) {
            String f = "normalization[" + i + "]";
            if (!n.get(i).isObject()) throw error(f, "must be an object");
            list.add(normalization(n.get(i), f));
        }
        return list;
    }

    private Normalization normalization(JsonNode n, String f) {
        String kind = text(n, f + ".kind", "kind");
        return switch (kind) {
            case "ct-zscore" -> {
                double[] clip = numbers(require(n, f + ".clip", "clip"), f + ".clip", 2);
                checkRange(clip, f + ".clip");
                double std = number(require(n, f + ".std", "std"), f + ".std");
                if (!(std > 0)) throw error(f + ".std", "must be positive, got " + std);
                yield new Normalization.CtZScore(clip[0], clip[1], number(require(n, f + ".mean", "mean"), f + ".mean"), std);
            }
            case "ct-window" -> {
                double[] w = numbers(require(n, f + ".window", "window"), f + ".window", 2);
                checkRange(w, f + ".window");
                yield new Normalization.CtWindow(w[0], w[1]);
            }
            case "ct-percentile-zscore" -> {
                checkFields(n, f, PERCENTILE_FIELDS);
                double lo = number(require(n, f + ".percentile_00_5", "percentile_00_5"), f + ".percentile_00_5");
                double hi = number(require(n, f + ".percentile_99_5", "percentile_99_5"), f + ".percentile_99_5");
                if (!(lo <= hi)) throw error(f + ".percentile_99_5", "must not be below percentile_00_5 (" + lo + "), got " + hi);
                double std = number(require(n, f + ".std", "std"), f + ".std");
                if (!(std >= 0)) throw error(f + ".std", "must not be negative, got " + std);
                yield new Normalization.CtPercentileZScore(lo, hi, number(require(n, f + ".mean", "mean"), f + ".mean"), std);
            }
            case "mr-zscore" -> new Normalization.MrZScore(n.has("foregroundThreshold")
                    ? number(n.get("foregroundThreshold"), f + ".foregroundThreshold") : 0);
            case "none" -> new Normalization.None();
            default -> throw error(f + ".kind",
                    "must be one of ct-zscore, ct-window, ct-percentile-zscore, mr-zscore, none, got \"" + kind + "\"");
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

    /**
     * Without {@code channel} in any label, today's rule: labels 1..n in channel order, one per channel
     * (softmax: channel c = value c; sigmoid: channel c = value c + 1). With it, every label names its channel,
     * values are 1..255, and channels no label names are background.
     */
    private List<LabelSpec> labels(JsonNode root, OutputKind kind, int channels) {
        JsonNode array = require(root, "labels");
        if (!array.isArray() || array.isEmpty()) throw error("labels", "must be a non-empty array");
        boolean explicit = false;
        for (JsonNode l : array) explicit |= l.isObject() && l.has("channel");
        int firstChannel = kind == OutputKind.SOFTMAX ? 1 : 0;
        if (!explicit && array.size() != channels - firstChannel)
            throw error("labels", "a " + kind.name().toLowerCase(Locale.ROOT) + " output of " + channels + " channels needs "
                    + (channels - firstChannel) + " labels (or a \"channel\" in each label), got " + array.size());
        List<LabelSpec> labels = new ArrayList<>();
        Set<Integer> values = new java.util.HashSet<>(), used = new java.util.HashSet<>();
        for (int i = 0; i < array.size(); i++) {
            JsonNode l = array.get(i);
            String f = "labels[" + i + "]";
            if (!l.isObject()) throw error(f, "must be an object");
            checkFields(l, f, LABEL_FIELDS);
            int value = positiveInt(l, f + ".value", "value");
            int channel;
            if (explicit) {
                if (value > MAX_LABEL_VALUE) throw error(f + ".value", "label values are 1.." + MAX_LABEL_VALUE + ", got " + value);
                if (!values.add(value)) throw error(f + ".value", "value " + value + " is given to two labels");
                JsonNode c = require(l, f + ".channel", "channel");
                if (!c.isInt() || c.asInt() < 0 || c.asInt() >= channels)
                    throw error(f + ".channel", "must be an output channel 0.." + (channels - 1) + ", got " + c
                            + " (when one label gives \"channel\", every label must)");
                channel = c.asInt();
                if (!used.add(channel)) throw error(f + ".channel", "channel " + channel + " is given to two labels");
            } else {
                if (value != i + 1) throw error(f + ".value", "label values must be 1, 2, ... in channel order; expected " + (i + 1) + ", got " + value);
                channel = i + firstChannel;
            }
            String name = text(l, f + ".name", "name");
            Code category, type, typeModifier = l.has("typeModifier") ? code(l, f + ".typeModifier", "typeModifier") : null;
            if (!l.has("category") && !l.has("type")) {
                LabelCodes.Codes codes = labelCodes.codesFor(name).orElseThrow(() -> error(f,
                        "gives only a name, and \"" + name + "\" has no built-in codes: add \"category\" and \"type\" "
                                + "(SNOMED CT codes, each {code, scheme, meaning})"));
                category = codes.category();
                type = codes.type();
                if (typeModifier == null) typeModifier = codes.typeModifier();
            } else {
                category = code(l, f + ".category", "category");
                type = code(l, f + ".type", "type");
            }
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
            labels.add(new LabelSpec(value, name, category, type, color, channel, typeModifier));
        }
        return labels;
    }

    private void checkFields(JsonNode object, String field, Set<String> known) {
        for (Iterator<String> it = object.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!known.contains(f))
                throw error(field + "." + f, "unknown field (known: " + String.join(", ", known.stream().sorted().toList()) + ")");
        }
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
