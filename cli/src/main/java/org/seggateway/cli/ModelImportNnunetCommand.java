package org.seggateway.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import org.seggateway.dicomio.seg.Code;
import org.seggateway.dicomio.seg.SegmentCodes;
import org.seggateway.inference.imports.NamedLabelCodes;
import org.seggateway.inference.imports.NnunetImporter;
import org.seggateway.inference.model.ModelPackage;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "import-nnunet", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Imports an nnU-Net v2 trained-model folder (dataset.json, plans.json, fold_N/checkpoint_final.pth) "
                + "as a model package: one ONNX file per fold (an ensemble), model.json with nnU-Net's preprocessing, "
                + "patch size, mirroring and the labels of dataset.json with their SNOMED CT codes.",
                "Runs inference/python/nnunet_import.py with Debian's python3 (python3-torch, python3-onnx); "
                        + "-Dseggateway.python names another interpreter.",
                "Prints one JSON object describing the package."})
final class ModelImportNnunetCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "DIR", description = "the trained-model folder, e.g. .../Dataset003_Liver/nnUNetTrainer__nnUNetPlans__3d_fullres")
    Path dir;

    @Option(names = "--out", required = true, paramLabel = "PACKAGE", description = "package folder to write (created)")
    Path out;

    @Option(names = "--folds", defaultValue = "0,1,2,3,4", description = "folds to import, comma-separated (\"all\" = fold_all); default ${DEFAULT-VALUE}")
    String folds;

    @Option(names = "--checkpoint", paramLabel = "FILE", defaultValue = "checkpoint_final.pth",
            description = "weights file in each fold folder (default ${DEFAULT-VALUE}; nnU-Net also writes checkpoint_best.pth)")
    String checkpoint;

    @Option(names = "--configuration", paramLabel = "NAME",
            description = "plans.json configuration (default: the last part of DIR's name TRAINER__PLANS__CONFIG, else 3d_fullres)")
    String configuration;

    @Option(names = "--name", description = "model.json name (default: plans.json dataset_name)")
    String name;

    @Option(names = "--model-version", paramLabel = "VERSION", defaultValue = "1.0.0", description = "model.json version (default ${DEFAULT-VALUE})")
    String version;

    @Option(names = "--orientation", defaultValue = "RAS",
            description = "where increasing x, y, z of the training images pointed; nnU-Net does not reorient, so this is the "
                    + "orientation of its NIfTI files: RAS for nibabel-canonical files (TotalSegmentator), LPS for files "
                    + "SimpleITK wrote from DICOM, or native (default ${DEFAULT-VALUE})")
    String orientation;

    @Option(names = "--batch-size", description = "windows per network run (default 1)")
    Integer batchSize;

    @Option(names = "--segment-codes", paramLabel = "FILE.json",
            description = "codes for label names the built-in table lacks: {\"name\": {\"category\": {\"code\", \"scheme\", "
                    + "\"meaning\"}, \"type\": {...}}, ...}")
    Path segmentCodes;

    @Option(names = "--reference-out", paramLabel = "DIR", hidden = true,
            description = "also write a random input and each fold's PyTorch output as .npy (for checks)")
    Path referenceOut;

    @Override
    public Integer call() throws Exception {
        NnunetImporter importer = new NnunetImporter(NnunetImporter.scriptIn(ProjectHome.get()));
        Path manifest = importer.run(new NnunetImporter.Request(dir, out, folds, checkpoint, configuration, name, version, orientation,
                batchSize, referenceOut), extraCodes(segmentCodes));
        ModelPackage loaded;
        try {
            loaded = ModelPackage.load(out);
        } catch (RuntimeException e) {
            throw new IllegalStateException("wrote " + manifest + ", but the model package reader refuses it: " + e.getMessage(), e);
        }
        var m = loaded.manifest();
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("package", out.toAbsolutePath().toString());
        report.put("name", m.name());
        report.put("version", m.version());
        report.put("labels", m.labels().size());
        System.out.println(new ObjectMapper().writeValueAsString(report));
        return 0;
    }

    static Map<String, NamedLabelCodes.Coded> extraCodes(Path file) throws IOException {
        Map<String, NamedLabelCodes.Coded> out = new LinkedHashMap<>();
        if (file == null) return out;
        JsonNode root = new ObjectMapper().readTree(file.toFile());
        if (root == null || !root.isObject()) throw new IllegalArgumentException(file + ": expected a JSON object name -> {category, type}");
        for (var e : root.properties()) {
            String where = file + ": " + e.getKey();
            out.put(SegmentCodes.normalise(e.getKey()), new NamedLabelCodes.Coded(code(e.getValue().get("category"), where + ".category"),
                    code(e.getValue().get("type"), where + ".type"),
                    e.getValue().has("typeModifier") ? code(e.getValue().get("typeModifier"), where + ".typeModifier") : null));
        }
        return out;
    }

    private static Code code(JsonNode n, String where) {
        if (n == null || !n.isObject()) throw new IllegalArgumentException(where + ": missing (an object with code, scheme, meaning)");
        for (String f : new String[] {"code", "scheme", "meaning"})
            if (!n.path(f).isTextual()) throw new IllegalArgumentException(where + "." + f + ": missing (text)");
        return new Code(n.get("code").asText(), n.get("scheme").asText(), n.get("meaning").asText());
    }
}
