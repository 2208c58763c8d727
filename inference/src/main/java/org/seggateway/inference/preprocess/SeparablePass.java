package org.seggateway.inference.preprocess;

import java.util.function.Supplier;
import java.util.stream.IntStream;

/**
 * Applies a {@link LineOperator} to every line of a float32 volume (x fastest) along one axis, planes of
 * lines in parallel (common fork-join pool), one operator per thread.
 */
final class SeparablePass {
    private SeparablePass() {}

    /**
     * @param size x, y, z of {@code v}; on return, {@code size[axis]} is the operator's output length
     * @return a new array, or {@code v} itself when the operator keeps the length (then written in place)
     */
    static float[] along(float[] v, int[] size, int axis, Supplier<LineOperator> operators) {
        LineOperator op = operators.get();
        if (op.inLength() != size[axis]) throw new IllegalArgumentException("line length " + size[axis] + " != " + op.inLength());
        int[] out = size.clone();
        out[axis] = op.outLength();
        float[] result = op.outLength() == op.inLength() ? v
                : new float[Math.toIntExact((long) out[0] * out[1] * out[2])];
        int[] inStride = {1, size[0], size[0] * size[1]};
        int[] outStride = {1, out[0], out[0] * out[1]};
        int a1 = axis == 0 ? 1 : 0, a2 = axis == 2 ? 1 : 2; // the two other axes
        int sIn = inStride[axis], sOut = outStride[axis];
        ThreadLocal<LineOperator> local = ThreadLocal.withInitial(operators);
        IntStream.range(0, size[a2]).parallel().forEach(j2 -> {
            LineOperator own = local.get();
            double[] line = new double[own.inLength()], resampled = new double[own.outLength()];
            for (int j1 = 0; j1 < size[a1]; j1++) {
                int baseIn = j1 * inStride[a1] + j2 * inStride[a2], baseOut = j1 * outStride[a1] + j2 * outStride[a2];
                for (int k = 0; k < line.length; k++) line[k] = v[baseIn + k * sIn];
                own.apply(line, resampled);
                for (int k = 0; k < resampled.length; k++) result[baseOut + k * sOut] = (float) resampled[k];
            }
        });
        System.arraycopy(out, 0, size, 0, 3);
        return result;
    }
}
