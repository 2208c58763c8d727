package org.seggateway.dicomio.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.TagFromName;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.seggateway.dicomio.synthetic.SyntheticSeries;

/** Truncated, garbled and mis-sized frames are a {@link CodecException} with a reason, never a partly decoded image. */
class DamagedFramesTest {
    @TempDir
    static Path dir;
    static Path source;
    static final FrameSpec SPEC = new FrameSpec(64, 48, 16, false);

    @BeforeAll
    static void series() throws Exception {
        source = SyntheticSeries.ct().size(64, 48, 1).noise(20, 1).write(dir.resolve("ct")).files().getFirst();
    }

    /** The single frame of the synthetic slice compressed by a Debian tool ({@code tool... IN OUT}). */
    static byte[] frame(String... tool) throws Exception {
        Path out = dir.resolve(String.join("-", tool).replace("-", "") + ".dcm");
        List<String> command = new ArrayList<>(List.of(tool));
        command.addAll(List.of(source.toString(), out.toString()));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor()).as(String.join(" ", command) + ": " + output).isZero();
        AttributeList l = new AttributeList();
        long end = l.read(out.toFile(), TagFromName.PixelData);
        try (EncapsulatedFrames f = EncapsulatedFrames.open(out, end - 4, 1)) {
            return f.frame(0);
        }
    }

    @Test
    void intactFramesDecodeAlike() throws Exception {
        short[] j2k = new short[SPEC.pixels()], jls = new short[SPEC.pixels()], rle = new short[SPEC.pixels()];
        new OpenJpegDecoder().decode(frame("gdcmconv", "--j2k"), SPEC, j2k, 0);
        new CharLsDecoder().decode(frame("dcmcjpls"), SPEC, jls, 0);
        new RleDecoder().decode(frame("dcmcrle"), SPEC, rle, 0);
        assertThat(j2k).isEqualTo(jls).isEqualTo(rle);
        assertThat(Arrays.stream(toInts(j2k)).distinct().count()).as("distinct values of a noisy slice").isGreaterThan(50);
    }

    @Test
    void truncatedFramesAreErrors() throws Exception {
        short[] out = new short[SPEC.pixels()];
        byte[] j2k = frame("gdcmconv", "--j2k"), jls = frame("dcmcjpls"), rle = frame("dcmcrle");
        assertThatThrownBy(() -> new OpenJpegDecoder().decode(Arrays.copyOf(j2k, j2k.length / 2), SPEC, out, 0))
                .isInstanceOf(CodecException.class).hasMessageContaining("JPEG 2000");
        assertThatThrownBy(() -> new CharLsDecoder().decode(Arrays.copyOf(jls, jls.length / 2), SPEC, out, 0))
                .isInstanceOf(CodecException.class).hasMessageContaining("JPEG-LS");
        assertThatThrownBy(() -> new RleDecoder().decode(Arrays.copyOf(rle, rle.length / 2), SPEC, out, 0))
                .isInstanceOf(CodecException.class).hasMessageContaining("RLE segment");
    }

    @Test
    void garbageAndWrongSizesAreErrors() throws Exception {
        short[] out = new short[SPEC.pixels()];
        byte[] garbage = new byte[4000];
        new Random(5).nextBytes(garbage);
        assertThatThrownBy(() -> new OpenJpegDecoder().decode(garbage, SPEC, out, 0)).isInstanceOf(CodecException.class);
        assertThatThrownBy(() -> new CharLsDecoder().decode(garbage, SPEC, out, 0)).isInstanceOf(CodecException.class);
        assertThatThrownBy(() -> new RleDecoder().decode(garbage, SPEC, out, 0)).isInstanceOf(CodecException.class);
        FrameSpec other = new FrameSpec(48, 64, 16, false);
        assertThatThrownBy(() -> new OpenJpegDecoder().decode(frame("gdcmconv", "--j2k"), other, out, 0))
                .hasMessageContaining("stream holds 48 x 64 x 1 sample(s), the header declares 64 x 48 x 1");
        assertThatThrownBy(() -> new CharLsDecoder().decode(frame("dcmcjpls"), other, out, 0))
                .hasMessageContaining("stream holds 48 x 64 x 1 sample(s), the header declares 64 x 48 x 1");
    }

    private static int[] toInts(short[] s) {
        int[] i = new int[s.length];
        for (int k = 0; k < s.length; k++) i[k] = s[k];
        return i;
    }
}
