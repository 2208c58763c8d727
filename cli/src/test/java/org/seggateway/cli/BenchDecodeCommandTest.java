package org.seggateway.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.seggateway.cli.CliRun.run;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.seggateway.dicomio.synthetic.SyntheticSeries;

/** {@code bench decode DIR} prints a rate for our decoder and for the Debian tool on the same files, per syntax. */
class BenchDecodeCommandTest {
    @TempDir
    Path dir;

    @Test
    void printsOurDecoderBesideTheDebianToolsPerSyntax() throws Exception {
        SyntheticSeries.Written series = SyntheticSeries.ct().size(64, 64, 3).noise(10, 2).write(dir.resolve("ct"));
        Path mixed = Files.createDirectories(dir.resolve("mixed"));
        for (Path f : series.files()) {
            tool("dcmcjpls", f.toString(), mixed.resolve("jls-" + f.getFileName()).toString());
            tool("dcmcrle", f.toString(), mixed.resolve("rle-" + f.getFileName()).toString());
        }

        CliRun r = run("bench", "decode", mixed.toString(), "--repeats", "1", "--work", dir.resolve("work").toString());

        assertThat(r.status()).as(r.err()).isZero();
        List<String> rows = r.out().lines().filter(l -> l.matches(".*\\s+3\\s+3\\s+[0-9.]+\\s+[0-9.]+\\s+[0-9.]+$")).toList();
        assertThat(rows).hasSize(6); // per syntax: ours, the DCMTK tool, gdcmconv --raw
        assertThat(String.join("\n", rows)).contains("JPEG-LS Lossless             seg-gateway (CharLS, FFM)  ")
                .contains("dcmdjpls").contains("RLE Lossless                 seg-gateway (Java)").contains("dcmdrle");
        for (String row : rows) {
            Matcher m = Pattern.compile("([0-9.]+)\\s+([0-9.]+)\\s+([0-9.]+)$").matcher(row);
            assertThat(m.find()).isTrue();
            assertThat(Double.parseDouble(m.group(1))).as("decoded MB of 3 x 64 x 64 x 2 bytes").isEqualTo(0.025);
            assertThat(Double.parseDouble(m.group(3))).as("MB/s in " + row).isPositive();
        }
        assertThat(dir.resolve("work/dcmdjpls")).isDirectoryContaining(p -> p.getFileName().toString().startsWith("jls-"));
    }

    @Test
    void aFolderWithoutCompressedFilesIsAnError() throws Exception {
        SyntheticSeries.Written series = SyntheticSeries.ct().size(16, 16, 2).write(dir.resolve("plain"));

        CliRun r = run("bench", "decode", series.directory().toString());

        assertThat(r.status()).isEqualTo(2);
        assertThat(r.err()).contains("no DICOM file in a compressed transfer syntax");
    }

    private static void tool(String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor()).as(String.join(" ", command) + ": " + output).isZero();
    }
}
