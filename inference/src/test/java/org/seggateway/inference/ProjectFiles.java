package org.seggateway.inference;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;

/** Files of the checkout the tests run in (the demo model, the PyTorch script). */
public final class ProjectFiles {
    private ProjectFiles() {}

    public static Path root() {
        Path p = Path.of("").toAbsolutePath();
        while (p != null && !(Files.isRegularFile(p.resolve("mvnw")) && Files.isDirectory(p.resolve("inference")))) p = p.getParent();
        if (p == null) throw new IllegalStateException("not inside the project checkout: " + Path.of("").toAbsolutePath());
        return p;
    }

    /** The committed demo model package; fails (not skips) with a clear message when it is missing. */
    public static Path demoModel() {
        Path dir = root().resolve("models/demo-abdomen-unet");
        assertThat(dir.resolve("model.json"))
                .as("demo model package models/demo-abdomen-unet (model.json, model.onnx, weights.pt, README.md) is missing; it comes from the model branch")
                .isRegularFile();
        return dir;
    }

    /** The PyTorch implementation of the contract; fails (not skips) with a clear message when it is missing. */
    public static Path torchScript() {
        Path script = root().resolve("inference/python/torch_sliding_window.py");
        assertThat(script).as("PyTorch reference script inference/python/torch_sliding_window.py is missing; it comes from the model branch")
                .isRegularFile();
        return script;
    }
}
