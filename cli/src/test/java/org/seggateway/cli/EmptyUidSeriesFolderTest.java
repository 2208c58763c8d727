package org.seggateway.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.seggateway.cli.CliRun.run;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.seggateway.dicomio.testing.SharedTestData;

/**
 * Real Siemens slices in JPEG 2000 Lossless whose Study, Series and SOP Instance UIDs and SOP Class UID an anonymiser
 * left empty ({@code ../shared/testdata/totalseg-j2k}): read from their folder they are refused as they are, with a
 * reason that names the empty UID, before any pixel (JPEG 2000 or not) is decoded.
 */
class EmptyUidSeriesFolderTest {
    static final String FOLDER = "totalseg-j2k";

    @Test
    void volumeRefusesTheFolderNamingTheEmptySeriesInstanceUid() throws Exception {
        Path folder = SharedTestData.folder(FOLDER);
        long dicomFiles;
        try (Stream<Path> files = Files.list(folder)) {
            dicomFiles = files.filter(p -> p.getFileName().toString().endsWith(".dcm")).count();
        }
        assertThat(dicomFiles).isEqualTo(20);

        CliRun r = run("volume", folder.toString());

        System.out.println("volume on " + FOLDER + ": " + r.err().strip());
        assertThat(r.status()).as(r.err()).isEqualTo(2);
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).contains("ignored " + dicomFiles + " file(s) without Series Instance UID")
                .contains("error: no DICOM image series in " + folder);
    }

    @Test
    void inferRefusesTheFolderNamingTheEmptySeriesInstanceUid() throws Exception {
        Path folder = SharedTestData.folder(FOLDER);
        Path out = Files.createTempDirectory("empty-uid").resolve("seg.dcm");

        CliRun r = run("infer", "--model", InferCommandTest.projectRoot().resolve("models/demo-abdomen-unet").toString(),
                "--series", folder.toString(), "--out", out.toString());

        System.out.println("infer on " + FOLDER + ": status " + r.status() + ", " + r.err().strip());
        assertThat(r.status()).as(r.out() + r.err()).isNotZero();
        assertThat(r.err()).contains("file(s) without Series Instance UID").contains("error: no DICOM image series");
        assertThat(out).doesNotExist();
    }
}
