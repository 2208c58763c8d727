package org.seggateway.inference.model;

import java.util.List;

/**
 * The parsed {@code model.json} of a model package (see {@code docs/model-package.md}).
 * Sizes are {@link Shape3} (x, y, z); spacing arrays are x, y, z in mm.
 *
 * @param targetSpacing x, y, z in mm, or null for "native" (no resampling)
 * @param orientation   three letters for the directions of increasing x, y, z (e.g. "LPS"), or null for "native"
 * @param mirrorAxes    per axis x, y, z: whether test-time mirroring flips it
 * @param flopsPerWindow floating-point operations of one forward pass of one patch (batch 1), 0 if not stated
 */
public record ModelManifest(
        String name,
        String version,
        String description,
        String onnxFile,
        String inputName,
        int inputChannels,
        String outputName,
        int outputChannels,
        OutputKind outputKind,
        Shape3 patchSize,
        Shape3 outputPatchSize,
        double[] targetSpacing,
        String orientation,
        Normalization normalization,
        Padding padding,
        double overlap,
        Blending blending,
        boolean[] mirrorAxes,
        int batchSize,
        List<LabelSpec> labels,
        double flopsPerWindow) {

    public ModelManifest {
        labels = List.copyOf(labels);
        targetSpacing = targetSpacing == null ? null : targetSpacing.clone();
        mirrorAxes = mirrorAxes.clone();
    }

    /** Input voxels on each side of the output patch (valid convolutions), 0 for same-size models. */
    public int margin(int axis) {
        return (patchSize.get(axis) - outputPatchSize.get(axis)) / 2;
    }

    public boolean sameSize() {
        return patchSize.equals(outputPatchSize);
    }

    /** Probability channels the engine accumulates: the output channels of the network. */
    public int channels() {
        return outputChannels;
    }

    @Override
    public double[] targetSpacing() {
        return targetSpacing == null ? null : targetSpacing.clone();
    }

    @Override
    public boolean[] mirrorAxes() {
        return mirrorAxes.clone();
    }
}
