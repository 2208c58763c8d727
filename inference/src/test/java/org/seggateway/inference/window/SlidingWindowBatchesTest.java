package org.seggateway.inference.window;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class SlidingWindowBatchesTest {

    @Test
    void singleNetworksBatchAcrossRows() {
        assertThat(SlidingWindow.batches(7, 3, 7)).containsExactly(new int[] {0, 3}, new int[] {3, 3}, new int[] {6, 1});
    }

    @Test
    void ensembleBatchesStopAtEveryRow() {
        // rows of 5 items, batch 2: no batch holds items of two rows
        List<int[]> batches = SlidingWindow.batches(10, 2, 5);
        assertThat(batches).containsExactly(new int[] {0, 2}, new int[] {2, 2}, new int[] {4, 1},
                new int[] {5, 2}, new int[] {7, 2}, new int[] {9, 1});
        for (int[] b : batches) assertThat(b[0] / 5).isEqualTo((b[0] + b[1] - 1) / 5);
    }
}
