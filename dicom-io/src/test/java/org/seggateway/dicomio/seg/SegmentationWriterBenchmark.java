package org.seggateway.dicomio.seg;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.seggateway.dicomio.synthetic.SyntheticSeries;
import org.seggateway.dicomio.uid.UidGenerator;
import org.seggateway.dicomio.volume.SliceSource;
import org.seggateway.dicomio.volume.VolumeGeometry;

/**
 * Times {@link SegmentationWriter} on a 512x512x300 grid with 5 segments (a command, not a test):
 * "phantom" = liver, lesion and three small structures as in the tests; "dense" = every segment on every
 * slice (1500 frames, the worst case for frame count and pixel data). Run from dicom-io after test-compile:
 * {@code java -cp target/classes:target/test-classes:<pixelmed jar> org.seggateway.dicomio.seg.SegmentationWriterBenchmark OUT_DIR}
 */
public final class SegmentationWriterBenchmark {
    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args.length > 0 ? args[0] : "target/seg-benchmark");
        Files.createDirectories(dir);
        SyntheticSeries.Written one = SyntheticSeries.ct().size(512, 512, 1).write(dir.resolve("header"));
        SegmentationSource header = TestSeries.source(one);
        VolumeGeometry grid = new VolumeGeometry(512, 512, 300, new double[] {0.7, 0.7, 1.0},
                new double[] {-178.85, -178.85, -149.5}, new double[] {1, 0, 0, 0, 1, 0, 0, 0, 1});
        UidGenerator uids = new UidGenerator();
        List<SliceSource> slices = new ArrayList<>();
        for (int z = 0; z < 300; z++) slices.add(new SliceSource("1.2.840.10008.5.1.4.1.1.2", uids.next(), 0));
        SegmentationSource source = new SegmentationSource(grid, slices, header.header(), header.seriesInstanceUid(),
                header.frameOfReferenceUid());

        LabelMap phantom = TestSeries.fiveSegmentLabels(grid);
        byte[] dense = new byte[512 * 512 * 300];
        for (int i = 0; i < dense.length; i++) dense[i] = (byte) (1 + (i / 7919) % 5);
        SegmentationWriter writer = new SegmentationWriter(SegmentationOptions.defaults());
        for (String name : List.of("phantom", "dense")) {
            LabelMap labels = name.equals("phantom") ? phantom : new LabelMap(512, 512, 300, dense);
            for (int run = 1; run <= 4; run++) {
                Path out = dir.resolve(name + ".dcm");
                long start = System.nanoTime();
                WrittenSegmentation seg = writer.write(source, labels, TestSeries.fiveSegments(), out);
                double seconds = (System.nanoTime() - start) / 1e9;
                System.out.printf(Locale.ROOT, "%s run %d: %d frames, %.1f MB, %.3f s%n", name, run, seg.frameCount(),
                        seg.fileSize() / 1e6, seconds);
            }
        }
    }
}
