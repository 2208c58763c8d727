package org.seggateway.gateway.models;

import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.seggateway.gateway.config.GatewayConfig;
import org.seggateway.inference.model.LabelSpec;
import org.seggateway.inference.model.ModelPackage;

/**
 * Loads the model packages that routes name, checked as a worker would check them (inference's
 * {@link ModelPackage#load}: complete model.json, ONNX file present), so a broken package fails its job
 * here with the reason instead of on every worker. References resolve against {@code seg-gateway.model-root} and must
 * stay inside it, by {@code ..} or by a symbolic link alike: a reference from the API or the configuration cannot make
 * the gateway read any other folder.
 */
@ApplicationScoped
public class ModelPackages {
    private final Path root;

    ModelPackages(GatewayConfig config) {
        this.root = config.modelRoot().orElse(Path.of("")).toAbsolutePath().normalize();
    }

    public Path root() {
        return root;
    }

    /** The package folder a reference names; a {@link ModelPackageException} when it lies outside the model root. */
    public Path resolve(String reference) throws ModelPackageException {
        Path path = root.resolve(reference).normalize();
        boolean inside = path.startsWith(root);
        if (inside && Files.exists(path)) {
            try {
                inside = path.toRealPath().startsWith(root.toRealPath());
            } catch (IOException e) {
                throw new ModelPackageException("model package '" + reference + "' unreadable: " + e.getMessage(), e);
            }
        }
        if (!inside)
            throw new ModelPackageException("model package '" + reference + "' lies outside the model root " + root
                    + " (seg-gateway.model-root)");
        return path;
    }

    public ModelInfo read(String reference) throws ModelPackageException {
        if (reference == null || reference.isBlank()) throw new ModelPackageException("the job names no model package");
        ModelPackage model;
        try {
            model = ModelPackage.load(resolve(reference));
        } catch (org.seggateway.inference.model.ModelPackageException e) {
            throw new ModelPackageException("model package '" + reference + "' unusable: " + e.getMessage(), e);
        }
        var manifest = model.manifest();
        return new ModelInfo(model.directory(), manifest.name(), manifest.version(), manifest.labels().stream()
                .map((LabelSpec l) -> l.segmentDescription(manifest.name(), manifest.version())).toList());
    }
}
