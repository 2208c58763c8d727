package org.seggateway.inference.preprocess;

/**
 * A one-dimensional operation applied to every line of a volume along one axis (separable resampling and
 * smoothing): {@link #inLength()} values in, {@link #outLength()} values out. Implementations keep scratch
 * buffers, so one instance serves one thread.
 */
interface LineOperator {

    int inLength();

    int outLength();

    /** Reads {@code in[0 .. inLength)}, writes {@code out[0 .. outLength)}; the arrays must differ. */
    void apply(double[] in, double[] out);
}
