package org.seggateway.dicomio.volume;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.pixelmed.dicom.TagFromName;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.seggateway.dicomio.synthetic.SyntheticSeries;

/** Limits on one volume: refused from the headers, before any voxel array exists. */
class VolumeLimitsTest {
    @TempDir
    Path dir;

    private static SyntheticSeries ct(int slices) {
        return SyntheticSeries.ct().size(16, 16, slices).spacing(6, 6, 3).noise(0, 1);
    }

    private SeriesFiles series() throws Exception {
        return DicomFolderScanner.scan(dir).series().getFirst();
    }

    @Test
    void headersClaimingHugeDimensionsAreRefusedBeforeAnyAllocation() throws Exception {
        // 20000 x 20000 x 3 = 1.2 G voxels: 2.4 GB for the 16-bit array the reader would allocate first
        ct(3).write(dir);
        try (var files = Files.list(dir)) {
            for (Path f : files.toList())
                TestFiles.edit(f, l -> {
                    TestFiles.set(l, TagFromName.Rows, "20000");
                    TestFiles.set(l, TagFromName.Columns, "20000");
                });
        }
        Runtime rt = Runtime.getRuntime();
        long usedBefore = rt.totalMemory() - rt.freeMemory();

        VolumeException e = catchThrowableOfType(VolumeException.class, () -> VolumeReader.read(series()));

        assertThat(e).hasMessageContaining("20000x20000x3 = 1200000000 voxels exceeds the limit of 536870912 voxels (volume limit max-voxels)")
                .hasMessageContaining("refused before reading pixel data");
        assertThat(rt.totalMemory() - rt.freeMemory() - usedBefore).as("heap grown by the refusal").isLessThan(256L << 20);
    }

    @Test
    void dimensionsBeyondOneArrayAreRefusedWithTheLimitToo() throws Exception {
        ct(2).write(dir);
        try (var files = Files.list(dir)) {
            for (Path f : files.toList())
                TestFiles.edit(f, l -> {
                    TestFiles.set(l, TagFromName.Rows, "65535");
                    TestFiles.set(l, TagFromName.Columns, "65535");
                });
        }
        assertThatThrownBy(() -> VolumeReader.read(series())).isInstanceOf(VolumeException.class)
                .hasMessageContaining("65535x65535x2 = 8589672450 voxels exceeds the limit of 536870912 voxels");
    }

    @Test
    void voxelLimitIsConfigurable() throws Exception {
        ct(8).write(dir); // 16 x 16 x 8 = 2048 voxels
        assertThatThrownBy(() -> VolumeReader.read(series(), new VolumeLimits(2047, 1L << 30, 0.25)))
                .hasMessageContaining("16x16x8 = 2048 voxels exceeds the limit of 2047 voxels (volume limit max-voxels)");
        assertThat(VolumeReader.read(series(), new VolumeLimits(2048, 1L << 30, 0.25)).geometry().voxelCount()).isEqualTo(2048);
    }

    @Test
    void byteLimitCountsTheFloatArrayWhenTheRescaleIsNotInteger() throws Exception {
        ct(8).write(dir);
        VolumeLimits fourBytesPerVoxel = new VolumeLimits(1L << 20, 4 * 2048, 0.25);
        assertThat(VolumeReader.read(series(), fourBytesPerVoxel).voxelType()).isEqualTo(VoxelType.INT16);

        try (var files = Files.list(dir)) {
            for (Path f : files.toList()) TestFiles.edit(f, l -> TestFiles.set(l, TagFromName.RescaleSlope, "0.5"));
        }
        assertThatThrownBy(() -> VolumeReader.read(series(), fourBytesPerVoxel))
                .hasMessageContaining("needs up to 12288 bytes of voxel arrays (2 bytes per voxel while reading + 4 for its FLOAT32 values)")
                .hasMessageContaining("limit of 8192 bytes (volume limit max-bytes)");
        assertThat(VolumeReader.read(series(), new VolumeLimits(1L << 20, 6 * 2048, 0.25)).voxelType()).isEqualTo(VoxelType.FLOAT32);
    }

    @Test
    void interpolationIsBoundedAsAShareOfTheDepth() throws Exception {
        SyntheticSeries.Written w = ct(20).write(dir);
        // six single-slice gaps: each within the 4 a gap may have, together 6 of 20 slices invented
        for (int i : new int[] {1, 3, 5, 7, 9, 11}) Files.delete(w.files().get(i));

        VolumeException e = catchThrowableOfType(VolumeException.class, () -> VolumeReader.read(series()));

        assertThat(e).hasMessageContaining(w.seriesInstanceUid())
                .hasMessageContaining("6 of 20 slices are missing and would be interpolated (30%), more than the limit of 25% of the depth"
                        + " (volume limit max-interpolated-fraction)");
        Volume allowed = VolumeReader.read(series(), new VolumeLimits(1L << 20, 1L << 30, 0.3));
        assertThat(allowed.geometry().depth()).isEqualTo(20);
        assertThat(allowed.warnings()).hasSize(6);
    }

    @Test
    void limitsAreValidated() {
        assertThatThrownBy(() -> new VolumeLimits(VolumeLimits.ARRAY_LIMIT + 1, 1, 0)).hasMessageContaining("max-voxels");
        assertThatThrownBy(() -> new VolumeLimits(10, 1, 0)).hasMessageContaining("max-bytes");
        assertThatThrownBy(() -> new VolumeLimits(10, 10, 1)).hasMessageContaining("max-interpolated-fraction");
    }
}
