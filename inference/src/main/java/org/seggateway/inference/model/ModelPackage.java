package org.seggateway.inference.model;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A model package folder: {@code model.json} and the ONNX file it names. {@link #load} checks the manifest
 * and that the files exist; the ONNX inputs and outputs are checked against it when a session opens
 * ({@link org.seggateway.inference.runtime.ModelSession}).
 */
public record ModelPackage(Path directory, ModelManifest manifest, Path onnxFile) {

    public static final String MANIFEST = "model.json";

    public static ModelPackage load(Path directory) {
        if (!Files.isDirectory(directory)) throw new ModelPackageException("model package " + directory + ": not a folder");
        ModelManifest manifest = ManifestReader.read(directory.resolve(MANIFEST));
        Path onnx = directory.resolve(manifest.onnxFile()).normalize();
        if (!onnx.startsWith(directory.normalize()))
            throw new ModelPackageException(directory.resolve(MANIFEST) + ": field 'onnx': must name a file inside the package, got " + manifest.onnxFile());
        if (!Files.isRegularFile(onnx))
            throw new ModelPackageException(directory.resolve(MANIFEST) + ": field 'onnx': file " + onnx + " does not exist");
        return new ModelPackage(directory, manifest, onnx);
    }

    /** "name version", for logs and the SEG's algorithm identification. */
    public String displayName() {
        return manifest.name() + " " + manifest.version();
    }
}
