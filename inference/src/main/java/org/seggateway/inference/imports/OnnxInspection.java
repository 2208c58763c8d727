package org.seggateway.inference.imports;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** What an ONNX file declares: its inputs and outputs (ONNX Runtime's session metadata), IR version and opsets. */
public record OnnxInspection(Path file, List<Tensor> inputs, List<Tensor> outputs, OnnxOpsets.Declared declared) {

    /**
     * @param shape      dimensions, -1 where dynamic
     * @param dimNames   the symbolic name of each dynamic dimension ("" if none)
     * @param type       element type as ONNX Runtime names it (FLOAT, ...)
     */
    public record Tensor(String name, long[] shape, String[] dimNames, String type) {
        public boolean isStatic(int axis) {
            return shape[axis] >= 0;
        }
    }

    public static OnnxInspection of(Path onnx) throws IOException {
        if (!Files.isRegularFile(onnx)) throw new IOException(onnx + ": no such file");
        OnnxOpsets.Declared declared = OnnxOpsets.read(onnx);
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions();
             OrtSession session = env.createSession(onnx.toString(), options)) {
            return new OnnxInspection(onnx, tensors(onnx, session.getInputInfo()), tensors(onnx, session.getOutputInfo()), declared);
        } catch (OrtException e) {
            throw new IOException(onnx + ": ONNX Runtime cannot open it: " + e.getMessage(), e);
        }
    }

    private static List<Tensor> tensors(Path onnx, Map<String, NodeInfo> info) throws IOException {
        List<Tensor> out = new ArrayList<>();
        for (NodeInfo n : info.values()) {
            if (!(n.getInfo() instanceof TensorInfo t))
                throw new IOException(onnx + ": " + n.getName() + " is not a tensor (" + n.getInfo() + ")");
            out.add(new Tensor(n.getName(), t.getShape(), t.getDimensionNames(), t.type.name()));
        }
        return out;
    }
}
