package org.seggateway.inference.model;

import java.util.List;

/**
 * The parsed {@code model.json} of a model package (see {@code docs/model-package.md}).
 * Sizes are {@link Shape3} (x, y, z); spacing arrays are x, y, z in mm.
 *
 * @param onnxFiles      the ONNX files, relative to the package; more than one = an ensemble whose
 *                       probabilities are averaged
 * @param targetSpacing  x, y, z in mm, or null for "native" (no resampling) or when {@code targetShape} is given
 * @param targetShape    the fixed model grid the image is resized to, or null when {@code targetSpacing} is given
 * @param orientation    three letters for the directions of increasing x, y, z (e.g. "LPS"), or null for "native"
 * @param normalizations one per input channel (a single object in model.json is repeated for every channel)
 * @param mirrorAxes     per axis x, y, z: whether test-time mirroring flips it
 * @param labels         each with the output channel that yields it; channels no label names are background
 * @param flopsPerWindow floating-point operations of one forward pass of one patch (batch 1), 0 if not stated
 */
public record ModelManifest(
        String name,
        String version,
        String description,
        List<String> onnxFiles,
        String inputName,
        int inputChannels,
        String outputName,
        int outputChannels,
        OutputKind outputKind,
        Shape3 patchSize,
        Shape3 outputPatchSize,
        double[] targetSpacing,
        Shape3 targetShape,
        ImageResampling resampling,
        String orientation,
        List<Normalization> normalizations,
        Padding padding,
        double overlap,
        Blending blending,
        boolean[] mirrorAxes,
        int batchSize,
        List<LabelSpec> labels,
        double flopsPerWindow) {

    public ModelManifest {
        onnxFiles = List.copyOf(onnxFiles);
        labels = List.copyOf(labels);
        normalizations = List.copyOf(normalizations);
        targetSpacing = targetSpacing == null ? null : targetSpacing.clone();
        mirrorAxes = mirrorAxes.clone();
        if (onnxFiles.isEmpty()) throw new IllegalArgumentException("no ONNX file");
        if (normalizations.size() != inputChannels)
            throw new IllegalArgumentException(normalizations.size() + " normalisations for " + inputChannels + " input channels");
        if (targetSpacing != null && targetShape != null)
            throw new IllegalArgumentException("targetSpacing and targetShape are exclusive");
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

    /** The normalisation of input channel {@code channel} (0-based). */
    public Normalization normalization(int channel) {
        return normalizations.get(channel);
    }

    /** Networks whose probabilities are averaged: 1 for a single ONNX file. */
    public int ensembleSize() {
        return onnxFiles.size();
    }

    /** Label value (0..255, unsigned) of each output channel; 0 for channels no label names. */
    public int[] labelValueOfChannel() {
        int[] values = new int[outputChannels];
        for (LabelSpec l : labels) values[l.channel()] = l.value();
        return values;
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
