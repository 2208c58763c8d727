package org.seggateway.inference.preprocess;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Properties of the one-dimensional passes that hold whatever the data. */
class LineOperatorsTest {

    @Test
    void cubicSplineReproducesTheSamplesAtTheSameSizeAndIsExactOnLinearRampsInside() {
        SplittableRandom r = new SplittableRandom(1);
        for (int n : new int[] {1, 2, 5, 30}) {
            double[] in = r.doubles(n, -100, 100).toArray(), out = new double[n];
            new CubicBSplineLine(n, n).apply(in, out);
            for (int i = 0; i < n; i++) assertThat(out[i]).isCloseTo(in[i], within(1e-9));
        }
        // a ramp is reproduced where the constant edge extension's influence has decayed (|z|^12 ~ 1.4e-7)
        int n = 60;
        double[] ramp = new double[n], out = new double[143];
        for (int i = 0; i < n; i++) ramp[i] = 3 * i - 7;
        new CubicBSplineLine(n, out.length).apply(ramp, out);
        for (int i = 0; i < out.length; i++) {
            double x = (i + 0.5) * n / out.length - 0.5;
            if (x > 12 && x < n - 13) assertThat(out[i]).isCloseTo(3 * x - 7, within(1e-6));
        }
    }

    @Test
    void gaussianKeepsConstantsAndTheMean() {
        double[] in = new double[25], out = new double[25];
        java.util.Arrays.fill(in, 4.5);
        new GaussianLine(25, 1.7).apply(in, out);
        for (double v : out) assertThat(v).isCloseTo(4.5, within(1e-12));
        assertThat(GaussianLine.antialiasSigma(10, 4)).isEqualTo(0.75);
        assertThat(GaussianLine.antialiasSigma(4, 10)).isZero();
    }

    @Test
    void nearestPicksTheSliceWhoseCentreIsClosest() {
        double[] in = {0, 1, 2, 3, 4, 5}, out = new double[4];
        new NearestLine(6, 4).apply(in, out); // centres at 0.25, 1.75, 3.25, 4.75
        assertThat(out).containsExactly(0, 2, 3, 5);
        double[] up = new double[9];
        new NearestLine(3, 9).apply(new double[] {7, 8, 9}, up); // centres -1/3, 0, 1/3, 2/3, ...
        assertThat(up).containsExactly(7, 7, 7, 8, 8, 8, 9, 9, 9);
    }
}
