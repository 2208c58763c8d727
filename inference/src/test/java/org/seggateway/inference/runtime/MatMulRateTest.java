package org.seggateway.inference.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import java.nio.FloatBuffer;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MatMulRateTest {
    @Test
    void handWrittenOnnxMatMulLoadsAndGivesAPlausibleRate() throws Exception {
        double gflops = MatMulRate.measure(256, 1, 0.2);
        assertThat(gflops).isGreaterThan(0.1).isLessThan(10_000);
    }

    /** The CUDA rate's model, checked on CPU: Y = sum of the entries of A^(chain+1). */
    @Test
    void matMulChainComputesThePowerOfItsInput() throws Exception {
        int n = 5, chain = 3;
        float[] a = new float[n * n];
        for (int i = 0; i < a.length; i++) a[i] = (1 + i % 7) / 10f;
        double[] power = new double[n * n];
        for (int i = 0; i < power.length; i++) power[i] = a[i];
        for (int k = 0; k < chain; k++) {
            double[] next = new double[n * n];
            for (int r = 0; r < n; r++)
                for (int c = 0; c < n; c++)
                    for (int j = 0; j < n; j++) next[r * n + c] += power[r * n + j] * a[j * n + c];
            power = next;
        }
        double expected = 0;
        for (double v : power) expected += v;
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession s = env.createSession(MatMulRate.chainModel(n, chain), new OrtSession.SessionOptions());
             OnnxTensor t = OnnxTensor.createTensor(env, FloatBuffer.wrap(a), new long[] {n, n});
             OrtSession.Result r = s.run(Map.of("A", t))) {
            float[][] y = (float[][]) r.get(0).getValue();
            assertThat((double) y[0][0]).isCloseTo(expected, org.assertj.core.data.Percentage.withPercentage(1e-3));
        }
    }
}
