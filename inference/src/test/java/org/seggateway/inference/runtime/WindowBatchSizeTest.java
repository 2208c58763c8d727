package org.seggateway.inference.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class WindowBatchSizeTest {
    private static final long GIB = 1L << 30;

    @Test
    void freeMemoryGrowsTheBatchUpToTheCeiling() {
        // (free - 2 GiB reserve) x 0.8 usable
        assertThat(WindowBatchSize.fromFreeMemory(12 * GIB, GIB, 2, 8)).isEqualTo(8);
        assertThat(WindowBatchSize.fromFreeMemory(7 * GIB, GIB, 2, 8)).isEqualTo(4);
        assertThat(WindowBatchSize.fromFreeMemory(140 * GIB, GIB, 2, 16)).isEqualTo(16);
    }

    @Test
    void theManifestBatchIsTheFloorWhileItFits() {
        assertThat(WindowBatchSize.fromFreeMemory(12 * GIB, GIB, 4, 2)).isEqualTo(4);
    }

    @Test
    void tooLittleMemoryShrinksTheBatchToOne() {
        assertThat(WindowBatchSize.fromFreeMemory(5 * GIB, 2 * GIB, 4, 8)).isEqualTo(1);
        assertThat(WindowBatchSize.fromFreeMemory(GIB, 2 * GIB, 2, 8)).isEqualTo(1);
    }

    @Test
    void theEstimateScalesWithThePatch() throws Exception {
        var m = org.seggateway.inference.model.ModelPackage.load(java.nio.file.Path.of("../models/demo-abdomen-unet")).manifest();
        // 32 x 64 x 64 voxels x 160 floats x 4 bytes
        assertThat(WindowBatchSize.estimate(m)).isEqualTo(32L * 64 * 64 * 160 * 4);
    }
}
