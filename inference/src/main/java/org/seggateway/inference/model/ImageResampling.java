package org.seggateway.inference.model;

/**
 * How the image is resampled to the model grid ({@code resampling} in model.json; default linear, no
 * anti-aliasing). Segmentations always go back by nearest neighbour.
 *
 * @param antialias Gaussian smoothing of the source before an axis is downsampled
 */
public record ImageResampling(Interpolation image, boolean antialias) {

    public enum Interpolation {
        /** Trilinear, align-corners (the contract's step 2). */
        LINEAR,
        /** Tricubic. */
        CUBIC,
        /** nnU-Net's rules: third order, with order 0 along z when the spacing is anisotropic ("separate z"). */
        NNUNET
    }

    public static final ImageResampling DEFAULT = new ImageResampling(Interpolation.LINEAR, false);
}
