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
 * reason that names the empty UID, before any pixel is decoded; with their UIDs filled in, {@code volume} decodes
 * their JPEG 2000 to the volume GDCM's {@code gdcmconv --raw} gives.
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

    @Test
    void withTheirUidsFilledInVolumeDecodesTheJpeg2000SeriesAsGdcmDoes() throws Exception {
        Path sent = Files.createTempDirectory("j2k-uids"), raw = Files.createTempDirectory("j2k-gdcm");
        try (Stream<Path> files = Files.list(SharedTestData.folder(FOLDER))) {
            for (Path f : files.filter(p -> p.toString().endsWith(".dcm")).toList()) {
                Path copy = Files.copy(f, sent.resolve(f.getFileName()));
                String sop = org.seggateway.dicomio.header.DicomHeader.read(f).string("MediaStorageSOPInstanceUID");
                tool("dcmodify", "-nb", "-m", "(0008,0016)=1.2.840.10008.5.1.4.1.1.2", "-m", "(0008,0018)=" + sop,
                        "-i", "(0020,000D)=2.25.7001", "-i", "(0020,000E)=2.25.7002", copy.toString());
                tool("gdcmconv", "--raw", copy.toString(), raw.resolve(f.getFileName()).toString());
            }
        }

        CliRun ours = run("volume", sent.toString());
        CliRun gdcm = run("volume", raw.toString());

        System.out.println("volume on " + FOLDER + " with UIDs: " + ours.out().strip());
        assertThat(ours.status()).as(ours.err()).isZero();
        assertThat(ours.out()).contains("\"dimensions\":[512,512,20]").contains("\"valueRange\":[-1024.0,");
        assertThat(ours.out()).isEqualTo(gdcm.out());
    }

    private static void tool(String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor()).as(String.join(" ", command) + ": " + output).isZero();
    }
}
