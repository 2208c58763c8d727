package org.seggateway.inference;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.seggateway.inference.model.ModelPackage;

/** Writes model packages around the tiny test models (src/test/resources/models) into a folder. */
public final class TestPackages {

    /** A manifest as a mutable JSON map, pre-filled for a softmax same-size model; change what a test needs. */
    public static final class Spec {
        public final String model;
        /** The ONNX test models of the package: {@link #model} alone, or the members of an ensemble. */
        public final List<String> members = new ArrayList<>();
        public final Map<String, Object> json = new LinkedHashMap<>();

        Spec(String model, String kind, int channels) {
            this.model = model;
            members.add(model);
            json.put("name", "test-" + model);
            json.put("version", "0.0.1");
            json.put("onnx", "model.onnx");
            json.put("input", Map.of("name", "image", "channels", 1));
            json.put("output", Map.of("name", "logits", "channels", channels, "kind", kind));
            json.put("patchSize", List.of(8, 8, 8));
            json.put("targetSpacing", "native");
            json.put("orientation", "native");
            json.put("normalization", Map.of("kind", "ct-zscore", "clip", List.of(-100, 200), "mean", 50, "std", 80));
            json.put("padding", Map.of("kind", "constant", "value", -50));
            json.put("overlap", 0.5);
            json.put("blending", "gaussian");
            json.put("mirrorAxes", List.of());
            json.put("batchSize", 2);
            int labels = kind.equals("softmax") ? channels - 1 : channels;
            List<Object> list = new ArrayList<>();
            for (int v = 1; v <= labels; v++)
                list.add(Map.of("value", v, "name", "Structure " + v,
                        "category", Map.of("code", "123037004", "scheme", "SCT", "meaning", "Anatomical Structure"),
                        "type", Map.of("code", "10200004", "scheme", "SCT", "meaning", "Liver"),
                        "color", List.of(10 * v % 256, 100, 200)));
            json.put("labels", list);
        }

        public Spec set(String field, Object value) {
            if (value == null) json.remove(field);
            else json.put(field, value);
            return this;
        }

        /**
         * Makes the package an ensemble of {@link #model} and {@code others}: the files are written as
         * {@code model.onnx}, {@code member1.onnx}, ... and {@code onnx} lists them.
         */
        public Spec ensemble(String... others) {
            members.addAll(List.of(others));
            List<String> files = new ArrayList<>(List.of("model.onnx"));
            for (int i = 1; i < members.size(); i++) files.add("member" + i + ".onnx");
            return set("onnx", files);
        }

        public Path write(Path dir) throws IOException {
            Files.createDirectories(dir);
            for (int i = 0; i < members.size(); i++) {
                String name = members.get(i);
                try (InputStream in = TestPackages.class.getResourceAsStream("/models/" + name + ".onnx")) {
                    if (in == null) throw new IOException("no test model " + name);
                    Files.copy(in, dir.resolve(i == 0 ? "model.onnx" : "member" + i + ".onnx"),
                            java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                }
            }
            Files.writeString(dir.resolve("model.json"), new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(json));
            return dir;
        }

        public ModelPackage load(Path dir) throws IOException {
            return ModelPackage.load(write(dir));
        }
    }

    public static Spec softmax(String model, int channels) {
        return new Spec(model, "softmax", channels);
    }

    public static Spec sigmoid(String model, int channels) {
        return new Spec(model, "sigmoid", channels);
    }

    private TestPackages() {}
}
