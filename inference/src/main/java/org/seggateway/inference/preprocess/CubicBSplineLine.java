package org.seggateway.inference.preprocess;

/**
 * Cubic B-spline resampling of one line with the pixel-centre convention, the arithmetic of
 * scipy.ndimage.zoom(order=3, mode="nearest", grid_mode=True) and so of skimage.transform.resize(order=3,
 * mode="edge") (docs/model-package.md, "cubic"):
 * <ol>
 *   <li>the line is extended by {@value #EDGE_PAD} copies of its first and last value (length N = n + 24);</li>
 *   <li>the coefficients c are those of the interpolating cubic B-spline of the extended line with a
 *       half-sample symmetric boundary ({@code c[-1] = c[0]}, {@code c[N] = c[N-1]}), i.e. the solution of
 *       {@code (c[k-1] + 4 c[k] + c[k+1]) / 6 = s[k]}, computed by the causal/anticausal recursion with pole
 *       {@code z = sqrt(3) - 2};</li>
 *   <li>output index {@code i} samples input coordinate {@code x = (i + 0.5) n_in / n_out - 0.5} as
 *       {@code sum c[k] B3(x + 12 - k)} over the four k around it.</li>
 * </ol>
 */
final class CubicBSplineLine implements LineOperator {

    static final int EDGE_PAD = 12;
    private static final double POLE = Math.sqrt(3) - 2;
    /** Terms of the causal initial sum: |z|^40 < 1e-22, far below double precision of the sum. */
    private static final int HORIZON = 40;

    private final int nIn, nOut;
    private final int[] first;
    private final double[] weights;
    private final double[] coefficients;
    private final double[] causal;

    CubicBSplineLine(int nIn, int nOut) {
        if (nIn < 1 || nOut < 1) throw new IllegalArgumentException("lengths " + nIn + " -> " + nOut);
        this.nIn = nIn;
        this.nOut = nOut;
        first = new int[nOut];
        weights = new double[4 * nOut];
        double zoom = (double) nIn / nOut;
        for (int i = 0; i < nOut; i++) {
            double x = (i + 0.5) * zoom - 0.5 + EDGE_PAD;
            int floor = (int) Math.floor(x);
            double t = x - floor, u = 1 - t;
            first[i] = floor - 1;
            weights[4 * i] = u * u * u / 6;
            weights[4 * i + 1] = (4 - 6 * t * t + 3 * t * t * t) / 6;
            weights[4 * i + 2] = (1 + 3 * t + 3 * t * t - 3 * t * t * t) / 6;
            weights[4 * i + 3] = t * t * t / 6;
        }
        coefficients = new double[nIn + 2 * EDGE_PAD];
        causal = new double[nIn + 2 * EDGE_PAD];
    }

    @Override
    public int inLength() {
        return nIn;
    }

    @Override
    public int outLength() {
        return nOut;
    }

    @Override
    public void apply(double[] in, double[] out) {
        prefilter(in);
        int last = coefficients.length - 1;
        for (int i = 0; i < nOut; i++) {
            int k = first[i];
            double s = 0;
            for (int j = 0; j < 4; j++) s += weights[4 * i + j] * coefficients[Math.max(0, Math.min(k + j, last))];
            out[i] = s;
        }
    }

    /** B-spline coefficients of the edge-extended line into {@link #coefficients}. */
    private void prefilter(double[] in) {
        int n = coefficients.length;
        double gain = (1 - POLE) * (1 - 1 / POLE); // 6
        double[] s = causal; // the gained, extended signal first, then the causal pass over it in place
        for (int k = 0; k < n; k++) s[k] = gain * in[Math.max(0, Math.min(k - EDGE_PAD, nIn - 1))];
        // causal initial value: sum over j >= 0 of z^j s[-j] on the half-sample symmetric (period 2N) extension
        double c0 = 0, zj = 1;
        for (int j = 0; j < HORIZON; j++) {
            c0 += zj * s[symmetric(-j, n)];
            zj *= POLE;
        }
        double previous = c0;
        double[] c = coefficients;
        c[0] = c0;
        for (int k = 1; k < n; k++) c[k] = previous = s[k] + POLE * previous;
        System.arraycopy(c, 0, s, 0, n);
        c[n - 1] = POLE / (POLE - 1) * s[n - 1];
        for (int k = n - 2; k >= 0; k--) c[k] = POLE * (c[k + 1] - s[k]);
    }

    /** Index into a line of length n extended half-sample symmetrically (s[-1] = s[0]), any distance. */
    private static int symmetric(int i, int n) {
        int r = Math.floorMod(i, 2 * n);
        return r < n ? r : 2 * n - 1 - r;
    }
}
