package org.seggateway.dicomio.volume;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.seggateway.dicomio.synthetic.SyntheticSeries;

/**
 * Times series-to-volume assembly (not a test; run by hand or by a benchmark command):
 * {@code ReadBenchmark DIR [repeats]} writes the default 512x512x300 synthetic CT to DIR if it is empty,
 * then reads it {@code repeats} times and prints seconds and MB/s of file bytes (MB = 10^6 bytes).
 */
public final class ReadBenchmark {
    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        int repeats = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        if (!Files.isDirectory(dir) || isEmpty(dir)) SyntheticSeries.ct().write(dir);
        long bytes;
        try (Stream<Path> files = Files.list(dir)) {
            bytes = files.mapToLong(f -> f.toFile().length()).sum();
        }
        for (int i = 0; i < repeats; i++) {
            long t0 = System.nanoTime();
            FolderScan scan = DicomFolderScanner.scan(dir);
            long t1 = System.nanoTime();
            Volume v = VolumeReader.read(scan.series().getFirst());
            long t2 = System.nanoTime();
            double s = (t2 - t0) / 1e9;
            System.out.printf("read %d: %s %s, %.1f MB in %.3f s (scan %.3f s, pixels %.3f s) = %.0f MB/s%n", i + 1,
                    v.geometry(), v.voxelType(), bytes / 1e6, s, (t1 - t0) / 1e9, (t2 - t1) / 1e9, bytes / 1e6 / s);
        }
    }

    private static boolean isEmpty(Path dir) throws Exception {
        try (Stream<Path> s = Files.list(dir)) {
            return s.findAny().isEmpty();
        }
    }
}
