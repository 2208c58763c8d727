package org.seggateway.inference.preprocess;

/** Applies a {@link LineOperator} to every line of a float32 volume (x fastest) along one axis. */
final class SeparablePass {
    private SeparablePass() {}

    /**
     * @param size x, y, z of {@code v}; on return, {@code size[axis]} is the operator's output length
     * @return a new array, or {@code v} itself when the operator keeps the length (then written in place)
     */
    static float[] along(float[] v, int[] size, int axis, LineOperator op) {
        if (op.inLength() != size[axis]) throw new IllegalArgumentException("line length " + size[axis] + " != " + op.inLength());
        int[] out = size.clone();
        out[axis] = op.outLength();
        float[] result = op.outLength() == op.inLength() ? v
                : new float[Math.toIntExact((long) out[0] * out[1] * out[2])];
        int[] inStride = {1, size[0], size[0] * size[1]};
        int[] outStride = {1, out[0], out[0] * out[1]};
        int a1 = axis == 0 ? 1 : 0, a2 = axis == 2 ? 1 : 2; // the two other axes
        double[] line = new double[op.inLength()], resampled = new double[op.outLength()];
        int sIn = inStride[axis], sOut = outStride[axis];
        for (int j2 = 0; j2 < size[a2]; j2++)
            for (int j1 = 0; j1 < size[a1]; j1++) {
                int baseIn = j1 * inStride[a1] + j2 * inStride[a2], baseOut = j1 * outStride[a1] + j2 * outStride[a2];
                for (int k = 0; k < line.length; k++) line[k] = v[baseIn + k * sIn];
                op.apply(line, resampled);
                for (int k = 0; k < resampled.length; k++) result[baseOut + k * sOut] = (float) resampled[k];
            }
        System.arraycopy(out, 0, size, 0, 3);
        return result;
    }
}
