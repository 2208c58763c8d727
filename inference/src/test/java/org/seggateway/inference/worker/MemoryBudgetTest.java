package org.seggateway.inference.worker;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.seggateway.dicomio.volume.VolumeGeometry;
import org.seggateway.dicomio.volume.VoxelType;
import org.seggateway.inference.queue.JobHeader;

class MemoryBudgetTest {

    @Test
    void takesWhatFitsLetsWaitWhatFitsAloneAndRefusesWhatNeverFits() {
        MemoryBudget budget = new MemoryBudget(100);
        assertThat(budget.reserve(60)).isEqualTo(MemoryBudget.Decision.TAKE);
        assertThat(budget.reserve(50)).isEqualTo(MemoryBudget.Decision.WAIT);
        assertThat(budget.reserved()).as("a waiting job reserves nothing").isEqualTo(60);
        assertThat(budget.reserve(101)).isEqualTo(MemoryBudget.Decision.REFUSE);
        assertThat(budget.reserve(40)).isEqualTo(MemoryBudget.Decision.TAKE);
        budget.release(60);
        assertThat(budget.reserve(50)).isEqualTo(MemoryBudget.Decision.TAKE);
        assertThat(budget.reserved()).isEqualTo(90);
    }

    @Test
    void refusalSaysWhatWasNeededAndWhatTheWorkerHas() {
        assertThat(new MemoryBudget(64L << 20).refusal("512x512x2000 INT16", 3L << 30))
                .startsWith("refused before running: a 512x512x2000 INT16 volume needs about 3072 MiB of heap with the model's working set,"
                        + " more than this worker's memory budget of 64 MiB")
                .contains("-Xmx").contains("seg-gateway.volume-limits");
    }

    @Test
    void aRunnerNeedsItsVoxelsAndALabelMapByDefault() {
        VolumeGeometry g = new VolumeGeometry(10, 10, 10, new double[] {1, 1, 1}, new double[] {0, 0, 0},
                new double[] {1, 0, 0, 0, 1, 0, 0, 0, 1});
        JobRunner runner = (job, volume, seconds) -> null;
        assertThat(runner.peakBytes(new JobHeader("j", "m", "1", g, VoxelType.FLOAT32, 4000, 1))).isEqualTo(5000);
    }

    @Test
    void defaultBudgetIsAShareOfTheMaximumHeap() {
        assertThat(WorkerSettings.defaults("127.0.0.1:1", "w").memoryBudget())
                .isEqualTo((long) (Runtime.getRuntime().maxMemory() * MemoryBudget.DEFAULT_HEAP_SHARE));
    }
}
