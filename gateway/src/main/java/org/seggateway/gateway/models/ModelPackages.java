package org.seggateway.gateway.models;

import jakarta.enterprise.context.ApplicationScoped;
import java.nio.file.Path;
import org.seggateway.gateway.config.GatewayConfig;
import org.seggateway.inference.model.LabelSpec;
import org.seggateway.inference.model.ModelPackage;

/**
 * Loads the model packages that routes name, checked as a worker would check them (inference's
 * {@link ModelPackage#load}: complete model.json, ONNX file present), so a broken package fails its job
 * here with the reason instead of on every worker. Relative references resolve against
 * {@code seg-gateway.model-root}.
 */
@ApplicationScoped
public class ModelPackages {
    private final Path root;

    ModelPackages(GatewayConfig config) {
        this.root = config.modelRoot().orElse(Path.of("")).toAbsolutePath().normalize();
    }

    public Path resolve(String reference) {
        return root.resolve(reference).normalize();
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
