package org.seggateway.dicomio.seg;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class FramePlanCountTest {
    @Test
    void countsEveryLabelOfAnyRangeAsAVoxelByVoxelCountDoes() {
        Random random = new Random(11);
        for (int round = 0; round < 200; round++) {
            byte[] labels = new byte[1 + random.nextInt(300)];
            double density = random.nextDouble() * random.nextDouble();
            for (int i = 0; i < labels.length; i++) if (random.nextDouble() < density) labels[i] = (byte) (1 + random.nextInt(255));
            int from = random.nextInt(labels.length), to = from + random.nextInt(labels.length - from + 1);
            int[] counted = new int[256], expected = new int[256];
            FramePlan.countLabels(labels, from, to, counted);
            for (int i = from; i < to; i++) expected[labels[i] & 0xFF]++;
            counted[0] = expected[0] = 0;
            assertThat(counted).as("round %d, [%d, %d) of %d", round, from, to, labels.length).isEqualTo(expected);
        }
        int[] counts = new int[256];
        byte[] edge = new byte[17];
        edge[16] = (byte) 200; // in the tail after two whole words
        edge[7] = 3;           // the last byte of the first word
        FramePlan.countLabels(edge, 0, edge.length, counts);
        assertThat(counts[200]).isEqualTo(1);
        assertThat(counts[3]).isEqualTo(1);
        assertThat(Arrays.stream(counts, 1, 256).sum()).isEqualTo(2);
    }
}
