package org.seggateway.inference.preprocess;

/**
 * Nearest-neighbour resampling of one line with the pixel-centre convention (scipy.ndimage.map_coordinates
 * order 0, mode "nearest", as nnU-Net's "separate z" uses it along the low-resolution axis): output
 * {@code i} takes input {@code floor(x + 0.5)} clamped to the line, {@code x = (n_in / n_out) (i + 0.5) - 0.5}
 * computed in double in that order (a tie goes up).
 */
final class NearestLine implements LineOperator {

    private final int nIn;
    private final int[] source;

    NearestLine(int nIn, int nOut) {
        this.nIn = nIn;
        source = new int[nOut];
        double scale = (double) nIn / nOut;
        for (int i = 0; i < nOut; i++) {
            double x = scale * (i + 0.5) - 0.5;
            source[i] = Math.max(0, Math.min((int) Math.floor(x + 0.5), nIn - 1));
        }
    }

    @Override
    public int inLength() {
        return nIn;
    }

    @Override
    public int outLength() {
        return source.length;
    }

    @Override
    public void apply(double[] in, double[] out) {
        for (int i = 0; i < source.length; i++) out[i] = in[source[i]];
    }
}
