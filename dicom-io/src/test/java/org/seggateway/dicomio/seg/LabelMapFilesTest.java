package org.seggateway.dicomio.seg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.seggateway.dicomio.volume.VolumeGeometry;

class LabelMapFilesTest {
    static final VolumeGeometry GRID = new VolumeGeometry(5, 4, 3, new double[] {1, 1, 2}, new double[3],
            new double[] {1, 0, 0, 0, 1, 0, 0, 0, 1});

    @TempDir
    Path dir;

    final byte[] labels = new byte[60];

    LabelMapFilesTest() {
        for (int i = 0; i < labels.length; i++) labels[i] = (byte) (i % 7 == 0 ? 200 : i % 3);
    }

    @Test
    void readsRawBytesInVoxelOrder() throws IOException {
        Path raw = Files.write(dir.resolve("labels.raw"), labels);
        LabelMap map = LabelMapFiles.read(raw, GRID);
        assertThat(map.labels()).isEqualTo(labels);
        assertThat(map.label(4, 3, 2)).isEqualTo(labels[59] & 0xFF);
        assertThat(map.label(0, 0, 0)).isEqualTo(200);
    }

    @Test
    void rejectsARawFileOfTheWrongSize() throws IOException {
        Path raw = Files.write(dir.resolve("labels.raw"), new byte[59]);
        assertThatThrownBy(() -> LabelMapFiles.read(raw, GRID)).hasMessageContaining(raw.toString())
                .hasMessageContaining("59 bytes").hasMessageContaining("5x4x3").hasMessageContaining("60");
    }

    @Test
    void readsAttachedRawAndGzipNrrd() throws IOException {
        Path raw = Files.write(dir.resolve("a.nrrd"), concat(header("raw", null), labels));
        Path gz = Files.write(dir.resolve("b.nrrd"), concat(header("gzip", null), gzip(labels)));
        assertThat(LabelMapFiles.read(raw, GRID).labels()).isEqualTo(labels);
        assertThat(LabelMapFiles.read(gz, GRID).labels()).isEqualTo(labels);
    }

    @Test
    void recognisesNrrdByItsMagicWhateverTheName() throws IOException {
        Path file = Files.write(dir.resolve("labels.bin"), concat(header("raw", null), labels));
        assertThat(LabelMapFiles.read(file, GRID).labels()).isEqualTo(labels);
    }

    @Test
    void readsADetachedHeaderWithItsDataFile() throws IOException {
        Files.write(dir.resolve("labels.raw.gz"), gzip(labels));
        Path nhdr = Files.write(dir.resolve("labels.nhdr"), header("gz", "labels.raw.gz"));
        assertThat(LabelMapFiles.read(nhdr, GRID).labels()).isEqualTo(labels);
    }

    @Test
    void appliesByteSkip() throws IOException {
        byte[] head = new String(header("raw", null), StandardCharsets.US_ASCII).replace("encoding: raw\n",
                "encoding: raw\nbyte skip: 3\n").getBytes(StandardCharsets.US_ASCII);
        Path file = Files.write(dir.resolve("skip.nrrd"), concat(concat(head, new byte[] {9, 9, 9}), labels));
        assertThat(LabelMapFiles.read(file, GRID).labels()).isEqualTo(labels);
    }

    @Test
    void explainsWhatIsWrongWithANrrd() throws IOException {
        String ok = new String(header("raw", null), StandardCharsets.US_ASCII);
        assertThatThrownBy(() -> LabelMapFiles.read(nrrd("short", ok.replace("type: uint8", "type: short"), labels), GRID))
                .hasMessageContaining("type 'short'").hasMessageContaining("uint8");
        assertThatThrownBy(() -> LabelMapFiles.read(nrrd("sizes", ok.replace("sizes: 5 4 3", "sizes: 4 5 3"), labels), GRID))
                .hasMessageContaining("sizes 4 5 3").hasMessageContaining("5 4 3");
        assertThatThrownBy(() -> LabelMapFiles.read(nrrd("enc", ok.replace("encoding: raw", "encoding: bzip2"), labels), GRID))
                .hasMessageContaining("encoding 'bzip2'");
        assertThatThrownBy(() -> LabelMapFiles.read(nrrd("dim", ok.replace("dimension: 3", "dimension: 4"), labels), GRID))
                .hasMessageContaining("dimension 4");
        assertThatThrownBy(() -> LabelMapFiles.read(nrrd("truncated", ok, new byte[50]), GRID))
                .hasMessageContaining("holds 50 voxels");
        assertThatThrownBy(() -> LabelMapFiles.read(nrrd("long", ok, new byte[61]), GRID))
                .hasMessageContaining("more than the 60 voxels");
        assertThatThrownBy(() -> LabelMapFiles.read(nrrd("notype", ok.replace("type: uint8\n", ""), labels), GRID))
                .hasMessageContaining("no 'type' field");
    }

    private Path nrrd(String name, String header, byte[] data) throws IOException {
        Path file = dir.resolve(name + ".nrrd");
        Files.write(file, concat(header.getBytes(StandardCharsets.US_ASCII), data));
        return file;
    }

    private static byte[] header(String encoding, String dataFile) {
        String h = "NRRD0004\n# written by a test\ntype: uint8\ndimension: 3\nspace: left-posterior-superior\n"
                + "sizes: 5 4 3\nspace directions: (1,0,0) (0,1,0) (0,0,2)\nkinds: domain domain domain\n"
                + "endian: little\nencoding: " + encoding + "\nspace origin: (0,0,0)\nmodality:=label\n"
                + (dataFile != null ? "data file: " + dataFile + "\n" : "\n");
        return h.getBytes(StandardCharsets.US_ASCII);
    }

    private static byte[] gzip(byte[] data) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(data);
        }
        return out.toByteArray();
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] c = new byte[a.length + b.length];
        System.arraycopy(a, 0, c, 0, a.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }
}
