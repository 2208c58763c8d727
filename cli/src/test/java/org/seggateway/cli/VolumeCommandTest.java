package org.seggateway.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.seggateway.cli.CliRun.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.seggateway.dicomio.synthetic.SyntheticSeries;

class VolumeCommandTest {
    @TempDir
    Path dir;

    @Test
    void printsOneJsonLinePerSeries() throws Exception {
        SyntheticSeries.Written ct = SyntheticSeries.ct().size(32, 32, 10).spacing(6, 6, 3).noise(0, 1).missingSlice(4)
                .write(dir.resolve("ct"));
        SyntheticSeries.Written mr = SyntheticSeries.mr().size(16, 24, 5).spacing(10, 8, 5).noise(0, 1).write(dir.resolve("mr"));
        Files.writeString(dir.resolve("notes.txt"), "not DICOM");

        CliRun r = run("volume", dir.toString());

        assertThat(r.status()).as(r.err()).isZero();
        List<String> lines = r.out().lines().toList();
        assertThat(lines).hasSize(2);
        ObjectMapper json = new ObjectMapper();
        JsonNode c = json.readTree(lines.get(0)), m = json.readTree(lines.get(1));
        assertThat(c.get("seriesInstanceUid").asText()).isEqualTo(ct.seriesInstanceUid());
        assertThat(c.get("dimensions").toString()).isEqualTo("[32,32,10]");
        assertThat(c.get("spacing").toString()).isEqualTo("[6.0,6.0,3.0]");
        assertThat(c.get("origin").toString()).isEqualTo("[-93.0,-93.0,-13.5]");
        assertThat(c.get("direction").toString()).isEqualTo("[1.0,0.0,0.0,0.0,1.0,0.0,0.0,0.0,1.0]");
        assertThat(c.get("sliceCount").asInt()).isEqualTo(10);
        assertThat(c.get("voxelType").asText()).isEqualTo("INT16");
        assertThat(c.get("valueRange").toString()).isEqualTo("[-1000.0,200.0]");
        assertThat(c.get("warnings")).hasSize(1);
        assertThat(c.get("warnings").get(0).asText()).contains("1 slice(s) missing");
        assertThat(m.get("seriesInstanceUid").asText()).isEqualTo(mr.seriesInstanceUid());
        // MR is 16 rows x 24 columns: x = columns
        assertThat(m.get("dimensions").toString()).isEqualTo("[24,16,5]");
        assertThat(m.get("spacing").toString()).isEqualTo("[8.0,10.0,5.0]");
        assertThat(m.get("warnings")).isEmpty();
        assertThat(r.err()).contains("warning: ignored 1 file(s) not DICOM");
    }

    @Test
    void failingSeriesGivesNonZeroStatusAndOneLineReason() throws Exception {
        SyntheticSeries.Written w = SyntheticSeries.ct().size(16, 16, 6).spacing(6, 6, 3).gantryTilt(20).write(dir);

        CliRun r = run("volume", dir.toString());

        assertThat(r.status()).isEqualTo(2);
        assertThat(r.out()).isEmpty();
        assertThat(r.err().lines().toList()).singleElement().asString().startsWith("error: series " + w.seriesInstanceUid())
                .contains("gantry tilt");
    }

    @Test
    void folderWithoutDicomIsAnError() throws Exception {
        Files.writeString(dir.resolve("a.txt"), "x");

        CliRun r = run("volume", dir.toString());

        assertThat(r.status()).isEqualTo(2);
        assertThat(r.err()).contains("error: no DICOM image series in " + dir);
    }

    @Test
    void missingFolderIsAnError() {
        CliRun r = run("volume", dir.resolve("nope").toString());

        assertThat(r.status()).isEqualTo(2);
        assertThat(r.err()).startsWith("error: not a folder: ");
    }
}
