package org.seggateway.inference.imports;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.seggateway.dicomio.seg.SegmentCodes;

/**
 * Turns an nnU-Net v2 trained-model folder into a model package: the Python side
 * ({@code inference/python/nnunet_import.py}, Debian's python3-torch) rebuilds the network, loads each fold's
 * weights strictly, exports the ONNX files and writes model.json with label names; this side gives the labels
 * their SNOMED CT codes ({@link NamedLabelCodes}).
 */
public final class NnunetImporter {

    /** What to import; null fields take the script's defaults. */
    public record Request(Path trainedModel, Path out, String folds, String checkpoint, String configuration, String name,
                          String version, String orientation, Integer batchSize, Path referenceOut) {}

    private final Path script;
    private final String python;

    public NnunetImporter(Path script) {
        this.script = script;
        this.python = pythonExecutable();
    }

    /** Debian's interpreter (where python3-torch lives), unless {@code -Dseggateway.python} names another. */
    public static String pythonExecutable() {
        return System.getProperty("seggateway.python", Files.isExecutable(Path.of("/usr/bin/python3")) ? "/usr/bin/python3" : "python3");
    }

    /** The script in a checkout. */
    public static Path scriptIn(Path projectRoot) {
        return projectRoot.resolve("inference/python/nnunet_import.py");
    }

    /** @return the written model.json */
    public Path run(Request r, Map<String, NamedLabelCodes.Coded> extraCodes) throws IOException, InterruptedException {
        if (!Files.isRegularFile(script)) throw new IOException("nnU-Net import script not found: " + script);
        if (!Files.isDirectory(r.trainedModel())) throw new IOException(r.trainedModel() + ": not a folder (an nnU-Net trained-model folder "
                + "holds dataset.json, plans.json and fold_N/checkpoint_final.pth)");
        checkNamesFirst(r.trainedModel().resolve("dataset.json"), extraCodes);
        List<String> cmd = new ArrayList<>(List.of(python, script.toString(), r.trainedModel().toString(), "--out", r.out().toString()));
        add(cmd, "--folds", r.folds());
        add(cmd, "--checkpoint", r.checkpoint());
        add(cmd, "--configuration", r.configuration());
        add(cmd, "--name", r.name());
        add(cmd, "--version", r.version());
        add(cmd, "--orientation", r.orientation());
        add(cmd, "--batch-size", r.batchSize() == null ? null : r.batchSize().toString());
        add(cmd, "--reference-out", r.referenceOut() == null ? null : r.referenceOut().toString());
        Files.createDirectories(r.out());
        Path log = Files.createTempFile("nnunet-import", ".log");
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            if (!p.waitFor(60, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                throw new IOException("nnU-Net import timed out: " + String.join(" ", cmd));
            }
            if (p.exitValue() != 0) throw new IOException(reason(Files.readAllLines(log), p.exitValue()));
        } finally {
            Files.deleteIfExists(log);
        }
        Path manifest = r.out().resolve("model.json");
        ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        JsonNode tree = json.readTree(manifest.toFile());
        if (!(tree instanceof ObjectNode m)) throw new IOException(manifest + ": not a JSON object");
        NamedLabelCodes.fill(m, manifest, extraCodes);
        json.writeValue(manifest.toFile(), m);
        return manifest;
    }

    /**
     * Label names without codes fail before the (slow) export: each non-background name of dataset.json's labels gets
     * a look-up as {@link NamedLabelCodes#fill} does it. A missing or malformed dataset.json is left to the script to report.
     */
    private static void checkNamesFirst(Path datasetJson, Map<String, NamedLabelCodes.Coded> extraCodes) throws IOException {
        if (!Files.isRegularFile(datasetJson)) return;
        JsonNode labels;
        try {
            labels = new ObjectMapper().readTree(datasetJson.toFile()).get("labels");
        } catch (IOException e) {
            return;
        }
        if (labels == null || !labels.isObject()) return;
        for (var e : labels.properties()) {
            if (!e.getValue().isInt() || e.getValue().asInt() == 0 || e.getKey().equals("ignore")) continue;
            if (extraCodes.containsKey(SegmentCodes.normalise(e.getKey()))) continue;
            try {
                SegmentCodes.builtIn().require(e.getKey());
            } catch (IllegalArgumentException x) {
                throw new IllegalArgumentException(datasetJson + ": labels." + e.getKey() + ": " + x.getMessage() + " (or pass it with --segment-codes)");
            }
        }
    }

    /** The script's own "error: ..." line, else the end of its output. */
    private static String reason(List<String> lines, int exit) {
        for (String l : lines) if (l.startsWith("error: ")) return l.substring("error: ".length());
        return "nnU-Net import failed (exit " + exit + "): "
                + String.join("\n", lines.subList(Math.max(0, lines.size() - 15), lines.size()));
    }

    private static void add(List<String> cmd, String option, String value) {
        if (value != null) {
            cmd.add(option);
            cmd.add(value);
        }
    }
}
