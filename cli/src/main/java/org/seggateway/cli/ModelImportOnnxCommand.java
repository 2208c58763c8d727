package org.seggateway.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.concurrent.Callable;
import org.seggateway.inference.imports.ManifestSkeleton;
import org.seggateway.inference.imports.OnnxInspection;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "import-onnx", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Starts a model package from an ONNX file: copies it into PACKAGE and writes a skeleton model.json with "
                + "what the file tells (input and output names, channels, a static patch size) and every field only the "
                + "model's author knows (spacing or shape, orientation, normalisation, output kind, labels) holding a text "
                + "that starts with \"" + ManifestSkeleton.FILL + "\". The package reader refuses the package until each is filled.",
                "Prints what the file declares (names, shapes, IR version, opsets) and the fields to fill, as JSON."})
final class ModelImportOnnxCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "FILE", description = "the ONNX model")
    Path file;

    @Option(names = "--out", required = true, paramLabel = "PACKAGE", description = "package folder to write (created)")
    Path out;

    @Option(names = "--name", description = "model.json name (default: the file name without .onnx)")
    String name;

    @Option(names = "--force", description = "replace an existing model.json")
    boolean force;

    @Override
    public Integer call() throws Exception {
        OnnxInspection onnx = OnnxInspection.of(file);
        String fileName = file.getFileName().toString();
        String modelName = name != null ? name : fileName.replaceFirst("(?i)\\.onnx$", "");
        ManifestSkeleton.Result skeleton = ManifestSkeleton.of(onnx, fileName, modelName);
        Path manifest = out.resolve("model.json");
        if (Files.exists(manifest) && !force)
            throw new IllegalArgumentException(manifest + " exists; --force replaces it");
        Files.createDirectories(out);
        Path target = out.resolve(fileName);
        if (!Files.exists(target) || !Files.isSameFile(target, file)) Files.copy(file, target, StandardCopyOption.REPLACE_EXISTING);
        ObjectMapper json = new ObjectMapper();
        json.writerWithDefaultPrettyPrinter().writeValue(manifest.toFile(), skeleton.manifest());

        ObjectNode report = json.createObjectNode();
        report.put("package", out.toAbsolutePath().toString());
        report.put("irVersion", onnx.declared().irVersion());
        ObjectNode opsets = report.putObject("opsets");
        onnx.declared().opsets().forEach((domain, v) -> opsets.put(domain.isEmpty() ? "ai.onnx" : domain, v));
        tensors(report.putArray("inputs"), onnx.inputs());
        tensors(report.putArray("outputs"), onnx.outputs());
        ArrayNode todo = report.putArray("toFill");
        skeleton.toFill().forEach(todo::add);
        System.out.println(json.writeValueAsString(report));
        return 0;
    }

    private static void tensors(ArrayNode into, List<OnnxInspection.Tensor> tensors) {
        for (OnnxInspection.Tensor t : tensors) {
            ObjectNode n = into.addObject().put("name", t.name()).put("type", t.type());
            ArrayNode shape = n.putArray("shape");
            for (int i = 0; i < t.shape().length; i++) {
                if (t.shape()[i] >= 0) shape.add(t.shape()[i]);
                else shape.add(t.dimNames()[i] == null || t.dimNames()[i].isEmpty() ? "?" : t.dimNames()[i]);
            }
        }
    }
}
