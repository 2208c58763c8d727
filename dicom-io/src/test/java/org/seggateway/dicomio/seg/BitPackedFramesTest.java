package org.seggateway.dicomio.seg;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class BitPackedFramesTest {

    /** Packs random frames and compares with a plain bit-by-bit packing (LSB first, frames back to back). */
    @ParameterizedTest
    @ValueSource(ints = {1, 3, 7, 8, 13, 64, 23 * 37, 4099})
    void packsLikeTheStandardSaysForAnyFrameSize(int pixelsPerFrame) throws IOException {
        SplittableRandom random = new SplittableRandom(pixelsPerFrame);
        int slices = 5;
        byte[] labels = new byte[pixelsPerFrame * slices];
        for (int i = 0; i < labels.length; i++) labels[i] = (byte) random.nextInt(4);
        int[][] frames = {{1, 0}, {1, 3}, {2, 1}, {3, 4}, {3, 2}, {2, 2}, {1, 4}};

        ByteArrayOutputStream out = new ByteArrayOutputStream();
        BitPackedFrames packer = new BitPackedFrames(out);
        for (int[] f : frames) packer.writeFrame(labels, f[1] * pixelsPerFrame, pixelsPerFrame, f[0]);
        long written = packer.finish();

        long bits = (long) frames.length * pixelsPerFrame;
        byte[] expected = new byte[(int) BitPackedFrames.valueLength(frames.length, pixelsPerFrame)];
        long bit = 0;
        for (int[] f : frames)
            for (int i = 0; i < pixelsPerFrame; i++, bit++)
                if (labels[f[1] * pixelsPerFrame + i] == f[0]) expected[(int) (bit / 8)] |= (byte) (1 << (bit % 8));
        assertThat(out.toByteArray()).isEqualTo(expected);
        assertThat(written).isEqualTo(expected.length).isEven().isEqualTo(((bits + 7) / 8 + 1) / 2 * 2);
    }
}
