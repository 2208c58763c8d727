package org.seggateway.dicomio.volume;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.seggateway.dicomio.header.DicomHeader;
import org.seggateway.dicomio.synthetic.SyntheticSeries;
import org.seggateway.dicomio.testing.SharedTestData;

/**
 * Every compressed transfer syntax decodes to the voxels a Debian decoder gives for the same files: GDCM's
 * {@code gdcmconv --raw} (OpenJPEG) for JPEG 2000, DCMTK's {@code dcmdjpls} (its own CharLS build) for JPEG-LS, DCMTK's
 * {@code dcmdrle} for RLE. On the 20 real CT slices of {@code ../shared/testdata/totalseg-j2k} (JPEG 2000 Lossless as
 * the scanner's archive wrote them; the other syntaxes made from them with DCMTK and opj_compress), on signed 16-bit and
 * 8-bit versions of them, and on an enhanced multi-frame CT. Lossy syntaxes are compared with the trusted decoder's
 * output, not with the original.
 */
class CompressedSyntaxesTest {
    static final String J2K = "1.2.840.10008.1.2.4.90", J2K_LOSSY = "1.2.840.10008.1.2.4.91", JLS = "1.2.840.10008.1.2.4.80",
            JLS_NEAR = "1.2.840.10008.1.2.4.81", RLE = "1.2.840.10008.1.2.5";

    @TempDir
    static Path dir;
    static Path realJ2k, realRaw;

    /** The real slices with the UIDs their anonymiser emptied, and their uncompressed form by gdcmconv. */
    @BeforeAll
    static void realSlices() throws Exception {
        realJ2k = Files.createDirectories(dir.resolve("real-j2k"));
        try (Stream<Path> files = Files.list(SharedTestData.folder("totalseg-j2k"))) {
            for (Path f : files.filter(f -> f.toString().endsWith(".dcm")).sorted().toList()) {
                Path copy = realJ2k.resolve(f.getFileName());
                Files.copy(f, copy);
                String sop = DicomHeader.read(f).string("MediaStorageSOPInstanceUID");
                TestFiles.run("dcmodify", "-nb", "-m", "(0008,0016)=1.2.840.10008.5.1.4.1.1.2", "-m", "(0008,0018)=" + sop,
                        "-i", "(0020,000D)=2.25.1001", "-i", "(0020,000E)=2.25.1002", copy.toString());
            }
        }
        realRaw = convert(realJ2k, "real-raw", "gdcmconv", "--raw");
    }

    @Test
    void jpeg2000LosslessRealSlicesEqualGdcmsAndTheOriginal() throws Exception {
        assertThat(syntaxOf(realJ2k)).isEqualTo(J2K);

        Volume ours = VolumeReader.readSingleSeries(realJ2k);

        assertThat(ours.geometry().depth()).isEqualTo(20);
        assertSameVoxels(ours, VolumeReader.readSingleSeries(realRaw));
        assertThat(range(ours)).as("real CT range").isGreaterThan(1000);
    }

    @Test
    void jpegLsAndRleRealSlicesEqualDcmtksAndLosslessOnesTheOriginal() throws Exception {
        Volume original = VolumeReader.readSingleSeries(realRaw);
        for (String[] c : new String[][] {{JLS, "dcmcjpls", "dcmdjpls"}, {RLE, "dcmcrle", "dcmdrle"}}) {
            Path compressed = convert(realRaw, "real-" + c[1], c[1]);
            assertThat(syntaxOf(compressed)).isEqualTo(c[0]);
            Volume ours = VolumeReader.readSingleSeries(compressed);
            assertSameVoxels(ours, VolumeReader.readSingleSeries(convert(compressed, "real-" + c[2], c[2])));
            assertSameVoxels(ours, original);
        }
    }

    @Test
    void aDamagedFrameFailsTheSeriesNamingItsFile() throws Exception {
        Path damaged = convert(realRaw, "real-jls-damaged", "dcmcjpls");
        Path victim = files(damaged).get(7);
        byte[] bytes = Files.readAllBytes(victim);
        java.util.Arrays.fill(bytes, bytes.length - 60_000, bytes.length - 50_000, (byte) 0xFF);
        Files.write(victim, bytes);

        VolumeException e = org.assertj.core.api.Assertions.catchThrowableOfType(VolumeException.class,
                () -> VolumeReader.readSingleSeries(damaged));

        assertThat(e).hasMessageContaining(victim.toString()).hasMessageContaining("JPEG-LS Lossless (1.2.840.10008.1.2.4.80)")
                .hasMessageContaining("CharLS error");
    }

    @Test
    void lossySyntaxesEqualTheTrustedDecodersOutputNotTheOriginal() throws Exception {
        Volume original = VolumeReader.readSingleSeries(realRaw);
        Path near = convert(realRaw, "real-jls-near", "dcmcjpls", "+en", "+md", "3");
        Path lossy = Files.createDirectories(dir.resolve("real-j2k-lossy"));
        for (Path f : files(realRaw)) python("j2k-lossy", f, lossy.resolve(f.getFileName()));
        assertThat(syntaxOf(near)).isEqualTo(JLS_NEAR);
        assertThat(syntaxOf(lossy)).isEqualTo(J2K_LOSSY);

        Volume oursNear = VolumeReader.readSingleSeries(near);
        Volume oursLossy = VolumeReader.readSingleSeries(lossy);

        assertSameVoxels(oursNear, VolumeReader.readSingleSeries(convert(near, "real-jls-near-dcmtk", "dcmdjpls")));
        assertSameVoxels(oursLossy, VolumeReader.readSingleSeries(convert(lossy, "real-j2k-lossy-gdcm", "gdcmconv", "--raw")));
        assertThat(maxDifference(oursNear, original)).as("near-lossless within its NEAR of 3").isBetween(1, 3);
        assertThat(maxDifference(oursLossy, original)).as("lossy JPEG 2000 differs from the original").isPositive();
    }

    @Test
    void signed16BitAndEightBitSlicesInEverySyntaxEqualTheTrustedDecoders() throws Exception {
        for (String variant : List.of("signed16", "eight-bit")) {
            Path raw = Files.createDirectories(dir.resolve(variant));
            for (Path f : files(realRaw).subList(0, 6)) python(variant, f, raw.resolve(f.getFileName()));
            Volume original = VolumeReader.readSingleSeries(raw);
            assertThat(DicomHeader.read(files(raw).get(0)).string("BitsAllocated")).isEqualTo(variant.equals("signed16") ? "16" : "8");
            if (variant.equals("signed16"))
                assertThat(min(original)).as("negative stored values").isLessThan(-500);
            // DCMTK refuses near-lossless JPEG-LS for signed pixels ("Unsupported pixel representation")
            assertEveryLosslessSyntaxDecodesLikeDebian(raw, variant, original, !variant.equals("signed16"));
        }
    }

    @Test
    void enhancedMultiFrameCtInEverySyntaxDecodesFrameByFrame() throws Exception {
        SyntheticSeries.Written enhanced = SyntheticSeries.ct().size(96, 80, 12).spacing(2, 2, 2.5).noise(12, 3)
                .writeEnhanced(dir.resolve("enhanced"));
        Volume original = VolumeReader.readSingleSeries(enhanced.directory());
        assertThat(DicomHeader.read(files(enhanced.directory()).get(0)).string("NumberOfFrames")).isEqualTo("12");

        assertEveryLosslessSyntaxDecodesLikeDebian(enhanced.directory(), "enhanced", original, true);
    }

    private static void assertEveryLosslessSyntaxDecodesLikeDebian(Path raw, String name, Volume original, boolean nearLossless)
            throws Exception {
        String[][] cases = {
            {J2K, "gdcmconv --j2k", "gdcmconv --raw"},
            {JLS, "dcmcjpls", "dcmdjpls"},
            {RLE, "dcmcrle", "dcmdrle"},
        };
        for (String[] c : cases) {
            Path compressed = convert(raw, name + "-" + c[0], c[1].split(" "));
            assertThat(syntaxOf(compressed)).as(name + " " + c[1]).isEqualTo(c[0]);
            Volume ours = VolumeReader.readSingleSeries(compressed);
            Volume trusted = VolumeReader.readSingleSeries(convert(compressed, name + "-" + c[0] + "-decoded", c[2].split(" ")));
            assertSameVoxels(ours, trusted);
            assertSameVoxels(ours, original);
        }
        if (!nearLossless) return;
        Path near = convert(raw, name + "-near", "dcmcjpls", "+en", "+md", "2");
        assertThat(syntaxOf(near)).isEqualTo(JLS_NEAR);
        assertSameVoxels(VolumeReader.readSingleSeries(near),
                VolumeReader.readSingleSeries(convert(near, name + "-near-decoded", "dcmdjpls")));
    }

    static void assertSameVoxels(Volume ours, Volume trusted) {
        assertThat(ours.geometry()).isEqualTo(trusted.geometry());
        assertThat(ours.voxelType()).isEqualTo(trusted.voxelType());
        if (ours.voxelType() == VoxelType.FLOAT32) assertThat(ours.float32Voxels()).isEqualTo(trusted.float32Voxels());
        else assertThat(ours.int16Voxels()).isEqualTo(trusted.int16Voxels());
    }

    private static double range(Volume v) {
        double lo = Double.MAX_VALUE, hi = -Double.MAX_VALUE;
        for (int i = 0; i < v.geometry().voxelCount(); i++) {
            lo = Math.min(lo, v.value(i));
            hi = Math.max(hi, v.value(i));
        }
        return hi - lo;
    }

    private static double min(Volume v) {
        double lo = Double.MAX_VALUE;
        for (int i = 0; i < v.geometry().voxelCount(); i++) lo = Math.min(lo, v.value(i));
        return lo;
    }

    private static int maxDifference(Volume a, Volume b) {
        double d = 0;
        for (int i = 0; i < a.geometry().voxelCount(); i++) d = Math.max(d, Math.abs(a.value(i) - b.value(i)));
        return (int) Math.round(d);
    }

    static String syntaxOf(Path folder) throws Exception {
        return DicomHeader.read(files(folder).get(0)).string("TransferSyntaxUID");
    }

    static List<Path> files(Path folder) throws IOException {
        try (Stream<Path> s = Files.list(folder)) {
            return s.filter(Files::isRegularFile).sorted().toList();
        }
    }

    /** Runs {@code command... IN OUT} on every file of {@code from} into a new folder {@code name}. */
    static Path convert(Path from, String name, String... command) throws Exception {
        Path to = Files.createDirectories(dir.resolve(name));
        for (Path f : files(from)) {
            List<String> line = new ArrayList<>(List.of(command));
            line.add(f.toString());
            line.add(to.resolve(f.getFileName()).toString());
            TestFiles.run(line.toArray(String[]::new));
        }
        return to;
    }

    private static void python(String variant, Path in, Path out) throws Exception {
        Path script = Path.of(CompressedSyntaxesTest.class.getResource("/codecs/variants.py").toURI());
        TestFiles.run("/usr/bin/python3", script.toString(), variant, in.toString(), out.toString());
    }
}
