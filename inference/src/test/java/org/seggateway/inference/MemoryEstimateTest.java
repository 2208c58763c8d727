package org.seggateway.inference;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.seggateway.inference.model.ModelManifest;

/**
 * The bound: a 512 x 512 x 600 CT with 2 and with 14 output classes stays under 8 GiB of heap.
 * Worst case: no resampling (the model grid is the full CT) and an nnU-Net-sized 128^3 patch, batch 2.
 */
class MemoryEstimateTest {

    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0} classes")
    @ValueSource(ints = {2, 14})
    void largeCtAtNativeSpacingStaysUnder8GiB(int classes) throws Exception {
        ModelManifest m = TestPackages.softmax("same_c2", classes).set("patchSize", List.of(128, 128, 128))
                .set("batchSize", 2).load(dir).manifest();
        MemoryEstimate e = MemoryEstimate.of(new int[] {512, 512, 600}, new double[] {0.7, 0.7, 1.0}, 2, m);
        System.out.println("512x512x600 CT, " + classes + " classes, native spacing, patch 128^3: " + e.summary());
        // ring: 512 x 512 x 128 slices x (classes + 1) floats, not the whole 600 slices
        assertThat(e.ringBytes()).isEqualTo(512L * 512 * 128 * (classes + 1) * 4);
        assertThat(e.preparedBytes()).isEqualTo(512L * 512 * 600 * 4);
        assertThat(e.peakBytes()).isLessThan(8L << 30);
    }

    @Test
    void theSeparablePassesAreCountedBeforeTheSlidingWindow() throws Exception {
        // nnunet, 0.7 x 0.7 x 4 mm to 0.7 x 0.7 x 2 mm: x and y untouched, separate z 10 -> 20 slices
        ModelManifest m = TestPackages.softmax("same_c2", 2).set("targetSpacing", List.of(2.0, 0.7, 0.7))
                .set("resampling", java.util.Map.of("image", "nnunet")).load(dir.resolve("nnunet")).manifest();
        MemoryEstimate e = MemoryEstimate.of(new int[] {100, 100, 10}, new double[] {0.7, 0.7, 4.0}, 2, m);
        // float32: source copy 100x100x10 + the z pass's output 100x100x20 < model grid + padded array, 2 x 100x100x20
        assertThat(e.preprocessBytes()).isEqualTo(4L * (100 * 100 * 20 + 100 * 100 * 20));
        assertThat(e.peakBytes()).isEqualTo(e.sourceBytes() + Math.max(e.preprocessBytes(), Math.max(e.slidingWindowBytes(), e.postprocessBytes())));
        // plain linear: one pass into the padded array, nothing before it
        ModelManifest linear = TestPackages.softmax("same_c2", 2).set("targetSpacing", List.of(2.0, 0.7, 0.7))
                .load(dir.resolve("linear")).manifest();
        MemoryEstimate l = MemoryEstimate.of(new int[] {100, 100, 10}, new double[] {0.7, 0.7, 4.0}, 2, linear);
        assertThat(l.preprocessBytes()).isEqualTo(l.preparedBytes());
    }

    @Test
    void inputChannelsGrowTheBatchesOnlyAndEnsemblesNothing() throws Exception {
        ModelManifest one = TestPackages.softmax("same_c2", 105).set("patchSize", List.of(128, 128, 128))
                .set("batchSize", 2).load(dir.resolve("one")).manifest();
        ModelManifest two = TestPackages.softmax("in2_c4", 105).set("patchSize", List.of(128, 128, 128)).set("batchSize", 2)
                .set("input", java.util.Map.of("name", "image", "channels", 2)).ensemble("in2_c4_fold1").load(dir.resolve("two")).manifest();
        int[] size = {512, 512, 600};
        double[] spacing = {0.7, 0.7, 1.0};
        MemoryEstimate a = MemoryEstimate.of(size, spacing, 2, one), b = MemoryEstimate.of(size, spacing, 2, two);
        assertThat(b.batchBytes()).isEqualTo(2 * a.batchBytes());
        assertThat(b.preparedBytes()).isEqualTo(a.preparedBytes());
        assertThat(b.peakBytes() - a.peakBytes()).isEqualTo(a.batchBytes());
        System.out.println("512x512x600 CT, 105 classes, 2 input channels, ensemble of 2, native spacing, patch 128^3: " + b.summary());
    }

    @Test
    void accumulatingTheWholeVolumeWouldNotFit() throws Exception {
        // what the ring avoids: 14 classes + weights over all 600 slices in float32 is 9.4 GiB on its own
        assertThat(512L * 512 * 600 * 15 * 4).isGreaterThan(8L << 30);
    }
}
