package org.seggateway.inference.model;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A model package folder: {@code model.json} and the ONNX files it names (one, or the members of an
 * ensemble). {@link #load} checks the manifest and that the files exist; the ONNX inputs and outputs are
 * checked against it when a session opens ({@link org.seggateway.inference.runtime.ModelSession}).
 */
public record ModelPackage(Path directory, ModelManifest manifest, List<Path> onnxFiles) {

    public static final String MANIFEST = "model.json";

    public ModelPackage {
        onnxFiles = List.copyOf(onnxFiles);
    }

    public static ModelPackage load(Path directory) {
        return load(directory, LabelCodes.NONE);
    }

    /** Loads a package; labels that give only a name take their codes from {@code labelCodes}. */
    public static ModelPackage load(Path directory, LabelCodes labelCodes) {
        if (!Files.isDirectory(directory)) throw new ModelPackageException("model package " + directory + ": not a folder");
        ModelManifest manifest = ManifestReader.read(directory.resolve(MANIFEST), labelCodes);
        List<Path> files = new ArrayList<>();
        for (int i = 0; i < manifest.onnxFiles().size(); i++) {
            String name = manifest.onnxFiles().get(i);
            String field = manifest.onnxFiles().size() == 1 ? "onnx" : "onnx[" + i + "]";
            Path onnx = directory.resolve(name).normalize();
            if (!onnx.startsWith(directory.normalize()))
                throw new ModelPackageException(directory.resolve(MANIFEST) + ": field '" + field + "': must name a file inside the package, got " + name);
            if (!Files.isRegularFile(onnx))
                throw new ModelPackageException(directory.resolve(MANIFEST) + ": field '" + field + "': file " + onnx + " does not exist");
            files.add(onnx);
        }
        return new ModelPackage(directory, manifest, files);
    }

    /** "name version", for logs and the SEG's algorithm identification. */
    public String displayName() {
        return manifest.name() + " " + manifest.version();
    }
}
