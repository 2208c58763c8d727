package org.seggateway.dicomio.volume;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.seggateway.dicomio.header.DicomHeader;
import org.seggateway.dicomio.synthetic.SyntheticSeries;

/** Series compressed by DCMTK: decoded voxel for voxel (JPEG-LS, JPEG 2000: {@link CompressedSyntaxesTest}). */
class CompressedInputTest {
    @TempDir
    Path dir;
    SyntheticSeries.Written original;
    Volume reference;

    @BeforeEach
    void writeReference() throws Exception {
        original = SyntheticSeries.ct().size(64, 64, 6).spacing(3, 3, 3).noise(10, 5).write(dir.resolve("native"));
        reference = VolumeReader.readSingleSeries(dir.resolve("native"));
    }

    @Test
    void jpegLosslessDecodesExactly() throws Exception {
        TestFiles.convertEach(original, dir.resolve("jpll"), "dcmcjpeg"); // default: lossless, first-order prediction
        assertThat(DicomHeader.read(dir.resolve("jpll/IMG0001.dcm")).string("TransferSyntaxUID")).isEqualTo("1.2.840.10008.1.2.4.70");

        Volume v = VolumeReader.readSingleSeries(dir.resolve("jpll"));

        assertThat(v.geometry()).isEqualTo(reference.geometry());
        assertThat(v.int16Voxels()).isEqualTo(reference.int16Voxels());
    }

    @Test
    void jpegLosslessProcess14AndRleAndDeflatedAndBigEndianDecodeExactly() throws Exception {
        TestFiles.convertEach(original, dir.resolve("p14"), "dcmcjpeg", "+el");
        TestFiles.convertEach(original, dir.resolve("rle"), "dcmcrle");
        TestFiles.convertEach(original, dir.resolve("deflated"), "dcmconv", "+td");
        TestFiles.convertEach(original, dir.resolve("implicit"), "dcmconv", "+ti");
        TestFiles.convertEach(original, dir.resolve("bigendian"), "dcmconv", "+tb");
        for (String name : new String[] {"p14", "rle", "deflated", "implicit", "bigendian"})
            assertThat(VolumeReader.readSingleSeries(dir.resolve(name)).int16Voxels()).as(name).isEqualTo(reference.int16Voxels());
    }

    @Test
    void jpegBaselineDecodesLikeDcmtk() throws Exception {
        TestFiles.convertEach(original, dir.resolve("jpeg8"), "dcmcjpeg", "+eb"); // 12 -> 8 bit, lossy
        SyntheticSeries.Written lossy = new SyntheticSeries.Written(dir.resolve("jpeg8"), null, null, null, null,
                original.files().stream().map(f -> dir.resolve("jpeg8").resolve(f.getFileName())).toList(), 0);
        TestFiles.convertEach(lossy, dir.resolve("dcmtk-decoded"), "dcmdjpeg");

        Volume ours = VolumeReader.readSingleSeries(dir.resolve("jpeg8"));
        Volume dcmtk = VolumeReader.readSingleSeries(dir.resolve("dcmtk-decoded"));

        assertThat(ours.voxelType()).isEqualTo(VoxelType.FLOAT32); // DCMTK rescaled to 8 bits with a fractional slope
        assertThat(ours.float32Voxels()).isEqualTo(dcmtk.float32Voxels());
    }
}
