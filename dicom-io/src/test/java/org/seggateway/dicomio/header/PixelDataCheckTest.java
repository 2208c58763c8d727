package org.seggateway.dicomio.header;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.seggateway.dicomio.synthetic.SyntheticSeries;
import org.seggateway.dicomio.testing.Dcmtk;

class PixelDataCheckTest {
    @TempDir
    Path dir;

    @Test
    void acceptsCompleteNativeAndCompressedPixelData() throws Exception {
        Path explicit = SyntheticSeries.ct().size(32, 40, 1).write(dir.resolve("ct")).files().getFirst();
        Path implicit = dir.resolve("implicit.dcm");
        Path jpeg = dir.resolve("jpeg.dcm");
        dcmtk("dcmconv", "+ti", explicit.toString(), implicit.toString());
        dcmtk("dcmcjpeg", "+e1", explicit.toString(), jpeg.toString());

        assertThat(PixelDataCheck.problem(explicit)).isEmpty();
        assertThat(PixelDataCheck.problem(implicit)).isEmpty();
        assertThat(PixelDataCheck.problem(jpeg)).isEmpty();
        for (Path file : List.of(explicit, implicit, jpeg))
            assertThat(PixelDataCheck.problem(file, DicomHeader.read(file))).as(file.toString()).isEmpty();
    }

    @Test
    void findsMissingShortAndTruncatedPixelData() throws Exception {
        List<Path> files = SyntheticSeries.ct().size(32, 40, 3).write(dir.resolve("ct")).files();
        Path missing = files.get(0), truncated = files.get(1), implicitTruncated = dir.resolve("implicit.dcm");
        dcmtk("dcmodify", "-nb", "-e", "(7fe0,0010)", missing.toString());
        byte[] bytes = Files.readAllBytes(truncated);
        Files.write(truncated, Arrays.copyOf(bytes, bytes.length - 100));
        dcmtk("dcmconv", "+ti", files.get(2).toString(), implicitTruncated.toString());
        byte[] implicitBytes = Files.readAllBytes(implicitTruncated);
        Files.write(implicitTruncated, Arrays.copyOf(implicitBytes, implicitBytes.length - 2));

        assertThat(PixelDataCheck.problem(missing)).hasValueSatisfying(p ->
                assertThat(p).contains(missing.toString()).contains("without Pixel Data"));
        assertThat(PixelDataCheck.problem(truncated)).hasValueSatisfying(p ->
                assertThat(p).contains("truncated").contains("ends after " + (32 * 40 * 2 - 100) + " of its 2560 bytes"));
        assertThat(PixelDataCheck.problem(implicitTruncated)).hasValueSatisfying(p -> assertThat(p).contains("truncated"));
        // the same findings from a header read once for everything (no second parse)
        for (Path file : List.of(missing, truncated, implicitTruncated))
            assertThat(PixelDataCheck.problem(file, DicomHeader.read(file))).as(file.toString()).isEqualTo(PixelDataCheck.problem(file));
    }

    private static void dcmtk(String... command) throws Exception {
        Dcmtk.Result r = Dcmtk.run(Duration.ofSeconds(30), List.of(command));
        assertThat(r.exitCode()).as(r.output()).isZero();
    }
}
