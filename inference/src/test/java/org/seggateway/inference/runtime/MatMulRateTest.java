package org.seggateway.inference.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class MatMulRateTest {
    @Test
    void handWrittenOnnxMatMulLoadsAndGivesAPlausibleRate() throws Exception {
        double gflops = MatMulRate.measure(256, 1, 0.2);
        assertThat(gflops).isGreaterThan(0.1).isLessThan(10_000);
    }
}
