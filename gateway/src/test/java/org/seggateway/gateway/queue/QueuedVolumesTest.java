package org.seggateway.gateway.queue;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.seggateway.dicomio.volume.Volume;
import org.seggateway.dicomio.volume.VolumeGeometry;
import org.seggateway.dicomio.volume.VoxelType;

class QueuedVolumesTest {
    private static final VolumeGeometry GRID = new VolumeGeometry(4, 3, 2, new double[] {1, 1, 1}, new double[] {0, 0, 0},
            new double[] {1, 0, 0, 0, 1, 0, 0, 0, 1});

    @Test
    void keepsTheLastQueuedVolumeForItsJobOnly() {
        QueuedVolumes kept = new QueuedVolumes();
        UUID first = UUID.randomUUID(), second = UUID.randomUUID();
        Volume a = volume(), b = volume();
        kept.keep(first, a);
        assertThat(kept.take(second)).isEmpty();
        kept.keep(second, b);
        assertThat(kept.take(first)).as("replaced by the next job queued").isEmpty();
        assertThat(kept.files(second)).as("none kept with it").isEmpty();
        assertThat(kept.take(second)).containsSame(b);
        assertThat(kept.take(second)).as("handed out once").isEmpty();
    }

    private static Volume volume() {
        return new Volume("1.2.3", "1.2.4", GRID, List.of(), null, VoxelType.INT16, new short[24], null, List.of());
    }
}
