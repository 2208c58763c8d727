package org.seggateway.dicomio.seg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.seggateway.dicomio.testing.SharedTestData;

/**
 * The test's NRRD reader on dcmqi's {@code liver_seg.nrrd} (gzip, LPS) and on the same samples written here raw, big
 * endian, as unsigned bytes and in RAS: all place the same labels on the CT grid.
 */
class NrrdFileTest {
    @TempDir
    Path dir;

    @Test
    void rawBigEndianRasAndGzipLpsGiveTheSameLabelsOnTheCtGrid() throws Exception {
        DcmqiSegmentationsTest.readCt();
        NrrdFile gzip = NrrdFile.read(SharedTestData.file(DcmqiSegmentationsTest.FOLDER, "liver_seg.nrrd"));
        assertThat(gzip.fields()).containsEntry("encoding", "gzip").containsEntry("space", "left-posterior-superior");
        LabelMap expected = DcmqiSegmentationsTest.onCtGrid(gzip);

        double[][] d = gzip.directions();
        double[] o = gzip.origin();
        String header = "NRRD0004\n# written by the test\ntype: %s\ndimension: 3\nspace: right-anterior-superior\nsizes: %d %d %d\n"
                + "space directions: (%s,%s,%s) (%s,%s,%s) (%s,%s,%s)\nkinds: domain domain domain\nendian: big\nencoding: raw\n"
                + "space origin: (%s,%s,%s)\n\n";
        int[] s = gzip.sizes();
        Object[] geometry = {s[0], s[1], s[2], -d[0][0], -d[0][1], d[0][2], -d[1][0], -d[1][1], d[1][2], -d[2][0], -d[2][1], d[2][2],
                -o[0], -o[1], o[2]};

        ByteBuffer shorts = ByteBuffer.allocate(gzip.values().length * 2).order(ByteOrder.BIG_ENDIAN);
        for (int v : gzip.values()) shorts.putShort((short) v);
        NrrdFile rawShort = NrrdFile.read(write("short.nrrd", header, "short", geometry, shorts.array()));
        assertThat(DcmqiSegmentationsTest.onCtGrid(rawShort).labels()).isEqualTo(expected.labels());

        byte[] bytes = new byte[gzip.values().length];
        for (int i = 0; i < bytes.length; i++) bytes[i] = (byte) gzip.values()[i];
        NrrdFile rawBytes = NrrdFile.read(write("uchar.nrrd", header, "unsigned char", geometry, bytes));
        assertThat(DcmqiSegmentationsTest.onCtGrid(rawBytes).labels()).isEqualTo(expected.labels());

        Path truncated = dir.resolve("truncated.nrrd");
        Files.write(truncated, java.util.Arrays.copyOf(Files.readAllBytes(dir.resolve("uchar.nrrd")), 1000));
        assertThatThrownBy(() -> NrrdFile.read(truncated)).isInstanceOf(IOException.class).hasMessageContaining("data bytes");
    }

    private Path write(String name, String header, String type, Object[] geometry, byte[] data) throws IOException {
        Object[] args = new Object[geometry.length + 1];
        args[0] = type;
        System.arraycopy(geometry, 0, args, 1, geometry.length);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(String.format(java.util.Locale.ROOT, header, args).getBytes(StandardCharsets.US_ASCII));
        out.write(data);
        Path file = dir.resolve(name);
        Files.write(file, out.toByteArray());
        return file;
    }
}
