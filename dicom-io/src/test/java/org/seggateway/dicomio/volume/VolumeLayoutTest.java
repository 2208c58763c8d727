package org.seggateway.dicomio.volume;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.seggateway.dicomio.synthetic.SyntheticSeries;

class VolumeLayoutTest {
    @TempDir
    Path dir;

    @Test
    void layoutFromHeadersMatchesTheVolumeReadFromTheSameFiles() throws Exception {
        SyntheticSeries.Written ct = SyntheticSeries.ct().size(16, 12, 8).spacing(1, 1.5, 2.5).missingSlice(3)
                .reverseFileOrder().write(dir.resolve("ct"));
        SeriesFiles files = DicomFolderScanner.scanFiles(ct.files(), "test series").series().getFirst();

        Volume volume = VolumeReader.read(files);
        VolumeLayout layout = VolumeReader.layout(files);

        assertThat(layout.geometry()).isEqualTo(volume.geometry());
        assertThat(layout.slices()).isEqualTo(volume.slices());
        assertThat(layout.slices().get(3).isInterpolated()).isTrue();
        assertThat(layout.frameOfReferenceUid()).isEqualTo(volume.frameOfReferenceUid()).isNotBlank();
        assertThat(layout.header().string("SOPInstanceUID")).isEqualTo(volume.header().string("SOPInstanceUID"));
        assertThat(layout.warnings()).isEqualTo(volume.warnings()).isNotEmpty();
    }

    @Test
    void scansOnlyTheListedFilesAndRefusesAMissingOne() throws Exception {
        SyntheticSeries.Written ct = SyntheticSeries.ct().size(8, 8, 6).write(dir.resolve("ct"));
        FolderScan some = DicomFolderScanner.scanFiles(ct.files().subList(0, 4), "first four");
        assertThat(some.series()).singleElement().satisfies(s -> assertThat(s.instances()).hasSize(4));

        Path missing = dir.resolve("ct/gone.dcm");
        assertThatThrownBy(() -> DicomFolderScanner.scanFiles(List.of(ct.files().get(0), missing), "series X"))
                .isInstanceOf(IOException.class).hasMessageContaining("gone.dcm").hasMessageContaining("series X");
    }
}
