package org.seggateway.dicomio.synthetic;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The synthetic enhanced CT passes dicom3tools' dciodvfy (and the single-frame CT with it, for comparison). */
class EnhancedCtValidityTest {
    @TempDir
    Path dir;

    @Test
    void enhancedCtHasNoDciodvfyErrors() throws Exception {
        SyntheticSeries.Written w = SyntheticSeries.ct().size(32, 32, 6).spacing(6, 6, 3).missingSlice(2).writeEnhanced(dir);
        assertNoErrors(w.files().getFirst(), "EnhancedCTImage");
    }

    @Test
    void singleFrameCtHasNoDciodvfyErrors() throws Exception {
        SyntheticSeries.Written w = SyntheticSeries.ct().size(32, 32, 2).spacing(6, 6, 3).gantryTilt(10).write(dir);
        assertNoErrors(w.files().getFirst(), "CTImage");
    }

    private static void assertNoErrors(Path file, String iod) throws Exception {
        Process p = new ProcessBuilder("dciodvfy", file.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor();
        List<String> lines = out.lines().filter(l -> !l.isBlank()).toList();
        lines.stream().filter(l -> l.startsWith("Warning")).forEach(l -> System.out.println("dciodvfy " + file.getFileName() + ": " + l));
        assertThat(lines).as("dciodvfy output").isNotEmpty().first().isEqualTo(iod);
        assertThat(lines).filteredOn(l -> l.startsWith("Error")).isEmpty();
    }
}
