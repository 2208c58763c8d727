package org.seggateway.inference.window;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class FastExpTest {
    @Test
    void relativeErrorStaysAtFloatResolution() {
        double worst = 0;
        for (float x = -80f; x <= 80f; x += 0.001f) {
            double exact = Math.exp(x);
            worst = Math.max(worst, Math.abs(FastExp.exp(x) - exact) / exact);
        }
        assertThat(worst).isLessThan(5e-7);
        assertThat(FastExp.exp(0f)).isEqualTo(1f);
        assertThat(FastExp.exp(-1000f)).isPositive().isLessThan(1e-37f);
    }
}
