package org.seggateway.inference.imports;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;

/**
 * A model.json for an ONNX file whose preprocessing and labels nobody has described yet: everything the file
 * itself tells (names, channels, a static patch size) filled in, every other required field holding a string that
 * starts with {@value #FILL} and says what belongs there. The model package reader refuses such a string in each of
 * these fields (they want numbers, lists or objects, or a fixed word), so the package cannot be used until all are
 * filled.
 */
public final class ManifestSkeleton {

    public static final String FILL = "FILL IN:";

    /** The skeleton and the fields left to fill, in order. */
    public record Result(ObjectNode manifest, List<String> toFill) {}

    private ManifestSkeleton() {
    }

    /**
     * @param onnxName the ONNX file's name inside the package
     * @throws IllegalArgumentException when the model is not one this gateway can run ([N, C, Z, Y, X] float in and out)
     */
    public static Result of(OnnxInspection onnx, String onnxName, String name) {
        if (onnx.inputs().size() != 1 || onnx.outputs().isEmpty())
            throw new IllegalArgumentException(onnx.file() + ": a model package needs exactly one input and at least one output, found "
                    + onnx.inputs().size() + " inputs and " + onnx.outputs().size() + " outputs");
        OnnxInspection.Tensor in = onnx.inputs().getFirst(), out = onnx.outputs().getFirst();
        for (OnnxInspection.Tensor t : List.of(in, out)) {
            if (t.shape().length != 5)
                throw new IllegalArgumentException(onnx.file() + ": " + t.name() + " has rank " + t.shape().length
                        + "; the gateway runs 3D models with [N, C, Z, Y, X] tensors");
            if (!t.type().equals("FLOAT"))
                throw new IllegalArgumentException(onnx.file() + ": " + t.name() + " is " + t.type() + "; the gateway feeds float32");
        }
        List<String> todo = new ArrayList<>();
        ObjectMapper json = new ObjectMapper();
        ObjectNode m = json.createObjectNode();
        m.put("name", name);
        m.put("version", "1.0.0");
        m.put("description", "imported from " + onnx.file().getFileName() + " by seg-gateway model import-onnx");
        m.put("onnx", onnxName);
        ObjectNode input = m.putObject("input").put("name", in.name());
        if (in.isStatic(1)) input.put("channels", in.shape()[1]);
        else fill(input, "channels", "number of input channels (the ONNX input's channel dimension is dynamic)", "input.channels", todo);
        ObjectNode output = m.putObject("output").put("name", out.name());
        if (out.isStatic(1)) output.put("channels", out.shape()[1]);
        else fill(output, "channels", "number of output channels", "output.channels", todo);
        fill(output, "kind", "softmax (channels = classes, channel 0 = background) or sigmoid (one channel per label)", "output.kind", todo);
        if (in.isStatic(2) && in.isStatic(3) && in.isStatic(4)) {
            ArrayNode patch = m.putArray("patchSize");
            for (int a = 2; a < 5; a++) patch.add(in.shape()[a]);
            if (out.isStatic(2) && out.isStatic(3) && out.isStatic(4)) {
                ArrayNode outPatch = m.putArray("outputPatchSize");
                for (int a = 2; a < 5; a++) outPatch.add(out.shape()[a]);
            }
        } else {
            fill(m, "patchSize", "[z, y, x] voxels of one window the network was trained on (the ONNX spatial dimensions are dynamic)", "patchSize", todo);
        }
        fill(m, "targetSpacing", "[z, y, x] mm the training images were resampled to (or \"native\"); or replace this field by "
                + "\"targetShape\": [z, y, x] for a whole-volume model", "targetSpacing", todo);
        fill(m, "orientation", "three letters naming where increasing x, y, z of the training images pointed (LPS, RAS, ...), or \"native\"",
                "orientation", todo);
        ObjectNode norm = m.putObject("normalization");
        fill(norm, "kind", "ct-zscore | ct-window | ct-percentile-zscore | mr-zscore | none, with its fields (docs/model-package.md)",
                "normalization", todo);
        m.putObject("padding").put("kind", "constant").put("value", 0);
        m.put("overlap", 0.5);
        m.put("blending", "gaussian");
        m.putArray("mirrorAxes");
        if (in.isStatic(0)) m.put("batchSize", in.shape()[0]);
        else m.put("batchSize", 1);
        ArrayNode labels = m.putArray("labels");
        int n = out.isStatic(1) ? (int) out.shape()[1] - 1 : 1;
        for (int v = 1; v <= Math.max(1, n); v++) {
            ObjectNode l = labels.addObject();
            l.put("value", v);
            fill(l, "name", "what label " + v + " is; a structure name the built-in code table knows (liver, kidney_left, ...)"
                    + " needs no codes, otherwise give category and type", "labels[" + (v - 1) + "].name", todo);
        }
        return new Result(m, todo);
    }

    private static void fill(ObjectNode node, String field, String what, String path, List<String> todo) {
        node.put(field, FILL + " " + what);
        todo.add(path);
    }
}
