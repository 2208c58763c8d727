package org.seggateway.inference.preprocess;

/**
 * Gaussian smoothing of one line, the anti-aliasing filter (scipy.ndimage.gaussian_filter1d with
 * truncate 4, mode "nearest"): weights {@code exp(-k^2 / (2 sigma^2))} for {@code |k| <= floor(4 sigma + 0.5)},
 * divided by their sum; values beyond the ends repeat the edge value. The length does not change.
 */
final class GaussianLine implements LineOperator {

    private final int n;
    private final double[] weights; // index k + radius

    GaussianLine(int n, double sigma) {
        if (!(sigma > 0)) throw new IllegalArgumentException("sigma " + sigma);
        this.n = n;
        int radius = (int) (4 * sigma + 0.5);
        weights = new double[2 * radius + 1];
        double sum = 0;
        for (int k = -radius; k <= radius; k++) sum += weights[k + radius] = Math.exp(-0.5 / (sigma * sigma) * k * k);
        for (int k = 0; k < weights.length; k++) weights[k] /= sum;
    }

    /** The anti-aliasing sigma for an axis resized from nIn to nOut voxels: {@code max(0, (nIn / nOut - 1) / 2)}. */
    static double antialiasSigma(int nIn, int nOut) {
        return Math.max(0, ((double) nIn / nOut - 1) / 2);
    }

    @Override
    public int inLength() {
        return n;
    }

    @Override
    public int outLength() {
        return n;
    }

    @Override
    public void apply(double[] in, double[] out) {
        int radius = weights.length / 2;
        for (int i = 0; i < n; i++) {
            double s = 0;
            for (int k = -radius; k <= radius; k++) s += weights[k + radius] * in[Math.max(0, Math.min(i + k, n - 1))];
            out[i] = s;
        }
    }
}
