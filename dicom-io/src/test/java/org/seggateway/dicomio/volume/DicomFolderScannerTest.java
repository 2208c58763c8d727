package org.seggateway.dicomio.volume;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.seggateway.dicomio.synthetic.SyntheticSeries;

class DicomFolderScannerTest {
    @TempDir
    Path dir;

    @Test
    void groupsSeriesRecursivelyAndCountsWhatItIgnores() throws Exception {
        SyntheticSeries.Written ct = SyntheticSeries.ct().size(16, 16, 5).spacing(10, 10, 5).write(dir.resolve("cd/ct"));
        SyntheticSeries.Written mr = SyntheticSeries.mr().size(16, 16, 3).spacing(10, 10, 5).write(dir.resolve("cd/DEEP/ER/MR"));
        // a real DICOMDIR made by DCMTK needs ISO 9660 file names
        for (Path f : mr.files()) Files.move(f, f.resolveSibling(f.getFileName().toString().replace(".dcm", "")));
        TestFiles.runIn(dir.resolve("cd"), "dcmmkdir", "+r", "+id", ".", "DEEP/ER/MR");
        assertThat(dir.resolve("cd/DICOMDIR")).exists();
        Files.writeString(dir.resolve("cd/README.txt"), "not DICOM");
        Files.write(dir.resolve("cd/ct/empty"), new byte[0]);

        FolderScan scan = DicomFolderScanner.scan(dir);

        assertThat(scan.series()).extracting(SeriesFiles::seriesInstanceUid)
                .containsExactlyInAnyOrder(ct.seriesInstanceUid(), mr.seriesInstanceUid());
        assertThat(scan.series()).extracting(s -> s.instances().size()).containsExactlyInAnyOrder(5, 3);
        assertThat(scan.ignoredFiles()).isEqualTo(3);
        assertThat(scan.warnings()).anySatisfy(w -> assertThat(w).contains("2 file(s) not DICOM"))
                .anySatisfy(w -> assertThat(w).contains("1 file(s) DICOMDIR"));
        for (SeriesFiles s : scan.series()) assertThat(VolumeReader.read(s).warnings()).isEmpty();
        assertThat(scan.series().getFirst().instances().getFirst().pixelDataOffset()).isPositive();
    }

    @Test
    void emptyFolderHasNoSeries() throws Exception {
        assertThat(DicomFolderScanner.scan(dir).series()).isEmpty();
    }
}
