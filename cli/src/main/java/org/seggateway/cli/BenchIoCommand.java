package org.seggateway.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.seggateway.dicomio.seg.Code;
import org.seggateway.dicomio.seg.LabelMap;
import org.seggateway.dicomio.seg.SegmentDescription;
import org.seggateway.dicomio.seg.SegmentationOptions;
import org.seggateway.dicomio.seg.SegmentationSource;
import org.seggateway.dicomio.seg.SegmentationWriter;
import org.seggateway.dicomio.seg.WrittenSegmentation;
import org.seggateway.dicomio.synthetic.Phantom;
import org.seggateway.dicomio.synthetic.SyntheticSeries;
import org.seggateway.dicomio.volume.DicomFolderScanner;
import org.seggateway.dicomio.volume.Volume;
import org.seggateway.dicomio.volume.VolumeGeometry;
import org.seggateway.dicomio.volume.VolumeReader;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "io", mixinStandardHelpOptions = true,
        description = {"Times series-to-volume assembly and a 5-segment SEG write on a synthetic CT (default 512x512x300),",
                "beside DCMTK doing the comparable step on the same files in the same run:",
                "dcmdump +M (parse every file, pixel data included) and dcmconv (read and write the SEG)."})
final class BenchIoCommand implements Callable<Integer> {
    private static final Code ANATOMY = new Code("123037004", "SCT", "Anatomical Structure");

    @Option(names = "--dir", description = "work folder (default target/bench-io); the series is written once and reused")
    Path dir = Path.of("target", "bench-io");

    @Option(names = "--size", split = "x", description = "ROWSxCOLUMNSxSLICES (default 512x512x300)")
    int[] size = {512, 512, 300};

    @Option(names = "--repeats", defaultValue = "3", description = "runs of each step (default ${DEFAULT-VALUE})")
    int repeats;

    @Override
    public Integer call() throws Exception {
        Path series = dir.resolve("ct-" + size[0] + "x" + size[1] + "x" + size[2]);
        if (!Files.isDirectory(series) || list(series).isEmpty())
            SyntheticSeries.ct().size(size[0], size[1], size[2]).spacing(0.7, 0.7, 1.0).write(series);
        List<Path> files = list(series);
        long bytes = 0;
        for (Path f : files) bytes += Files.size(f);
        System.out.printf(Locale.ROOT, "bench io: %d files, %.1f MB (MB = 10^6 bytes), %d runs each%n%n", files.size(), bytes / 1e6, repeats);
        System.out.printf(Locale.ROOT, "%-48s %10s %10s%n", "step", "seconds", "MB/s");

        Volume volume = null;
        for (int run = 1; run <= repeats; run++) {
            long start = System.nanoTime();
            volume = VolumeReader.read(DicomFolderScanner.scan(series).series().getFirst());
            row("series -> Volume (seg-gateway, run " + run + ")", start, bytes);
        }
        for (int run = 1; run <= repeats; run++) {
            List<String> command = new ArrayList<>(List.of("dcmdump", "+M", "-q"));
            files.forEach(f -> command.add(f.toString()));
            long start = System.nanoTime();
            runQuietly(command);
            row("dcmdump +M over the files (DCMTK, run " + run + ")", start, bytes);
        }

        SegmentationSource source = SegmentationSource.of(volume);
        LabelMap labels = fiveSegments(volume.geometry());
        SegmentationWriter writer = new SegmentationWriter(SegmentationOptions.defaults());
        Path seg = dir.resolve("seg-5-segments.dcm");
        WrittenSegmentation written = null;
        for (int run = 1; run <= repeats; run++) {
            long start = System.nanoTime();
            written = writer.write(source, labels, segments(), seg);
            row("label map -> SEG, 5 segments (seg-gateway, run " + run + ")", start, Files.size(seg));
        }
        for (int run = 1; run <= repeats; run++) {
            long start = System.nanoTime();
            runQuietly(List.of("dcmconv", seg.toString(), dir.resolve("seg-dcmconv.dcm").toString()));
            row("read + write the SEG (DCMTK dcmconv, run " + run + ")", start, Files.size(seg));
        }
        System.out.printf(Locale.ROOT, "%nSEG: %d frames, %.1f MB, %s%n", written.frameCount(), written.fileSize() / 1e6, seg);
        return 0;
    }

    /** Phantom liver and lesion, plus three spheres standing in for other organs. */
    static LabelMap fiveSegments(VolumeGeometry g) {
        Phantom phantom = Phantom.standard();
        double[][] spheres = {{60, 0, 0, 35}, {20, -50, -10, 20}, {0, 60, 20, 25}};
        byte[] labels = new byte[Math.toIntExact(g.voxelCount())];
        for (int z = 0; z < g.depth(); z++)
            for (int y = 0; y < g.height(); y++)
                for (int x = 0; x < g.width(); x++) {
                    double[] p = g.positionOf(x, y, z);
                    int label = phantom.labelAt(p[0], p[1], p[2]);
                    for (int s = 0; s < spheres.length && label == 0; s++) {
                        double dx = p[0] - spheres[s][0], dy = p[1] - spheres[s][1], dz = p[2] - spheres[s][2];
                        if (dx * dx + dy * dy + dz * dz <= spheres[s][3] * spheres[s][3]) label = 3 + s;
                    }
                    labels[x + g.width() * (y + g.height() * z)] = (byte) label;
                }
        return new LabelMap(g.width(), g.height(), g.depth(), labels);
    }

    static List<SegmentDescription> segments() {
        return List.of(
                segment(1, "Liver", ANATOMY, new Code("10200004", "SCT", "Liver")),
                segment(2, "Lesion", new Code("49755003", "SCT", "Morphologically Altered Structure"), new Code("4147007", "SCT", "Mass")),
                segment(3, "Spleen", ANATOMY, new Code("78961009", "SCT", "Spleen")),
                segment(4, "Kidney", ANATOMY, new Code("64033007", "SCT", "Kidney")),
                segment(5, "Stomach", ANATOMY, new Code("69695003", "SCT", "Stomach")));
    }

    private static SegmentDescription segment(int value, String label, Code category, Code type) {
        return new SegmentDescription(value, label, category, type, "bench-io", "1", null);
    }

    private static void row(String step, long startNanos, long bytes) {
        double seconds = (System.nanoTime() - startNanos) / 1e9;
        System.out.printf(Locale.ROOT, "%-48s %10.3f %10.1f%n", step, seconds, bytes / 1e6 / seconds);
    }

    private static void runQuietly(List<String> command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        if (p.waitFor() != 0) throw new IOException(String.join(" ", command.subList(0, 2)) + " failed with " + p.exitValue());
    }

    private static List<Path> list(Path folder) throws IOException {
        try (Stream<Path> s = Files.list(folder)) {
            return s.filter(f -> f.toString().endsWith(".dcm")).sorted(Comparator.naturalOrder()).toList();
        }
    }
}
