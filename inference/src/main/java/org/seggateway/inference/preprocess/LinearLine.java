package org.seggateway.inference.preprocess;

/** Linear interpolation of one line, align-corners (step 2 of the contract for one axis). */
final class LinearLine implements LineOperator {

    private final int nIn, nOut;
    private final int[] lower;
    private final double[] fraction;

    LinearLine(int nIn, int nOut) {
        this.nIn = nIn;
        this.nOut = nOut;
        lower = new int[nOut];
        fraction = new double[nOut];
        for (int i = 0; i < nOut; i++) {
            double t = Resampling.sourceCoordinate(i, nIn, nOut);
            int lo = Math.max(0, Math.min((int) Math.floor(t), nIn - 2));
            lower[i] = lo;
            fraction[i] = nIn == 1 ? 0 : t - lo;
        }
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
        for (int i = 0; i < nOut; i++) {
            int lo = lower[i];
            double f = fraction[i];
            out[i] = f == 0 ? in[lo] : in[lo] + (in[lo + 1] - in[lo]) * f;
        }
    }
}
