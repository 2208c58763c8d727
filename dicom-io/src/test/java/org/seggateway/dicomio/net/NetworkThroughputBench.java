package org.seggateway.dicomio.net;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;
import org.seggateway.dicomio.synthetic.SyntheticSeries;
import org.seggateway.dicomio.testing.Dcmtk;

/**
 * Throughput benchmark, not a test (runs only when asked):
 * {@code ./mvnw -B -pl dicom-io -am test -Dtest=NetworkThroughputBench -Dsurefire.failIfNoSpecifiedTests=false -Dbench=true [-Dbench.slices=300 -Dbench.reps=3]}.
 * One synthetic 512x512 CT series, loopback, every receiver writing to disk, repetitions interleaved; prints the
 * median MB/s (10^6 bytes) of each sender/receiver pair. Results also go to {@code target/net-bench.txt}.
 */
@EnabledIfSystemProperty(named = "bench", matches = "true")
class NetworkThroughputBench {

    @TempDir
    Path dir;

    @Test
    void throughput() throws Exception {
        int slices = Integer.getInteger("bench.slices", 300);
        int reps = Integer.getInteger("bench.reps", 3);
        SyntheticSeries.Written series = SyntheticSeries.ct().size(512, 512, slices).write(dir.resolve("ct"));
        double mb = series.bytes() / 1e6;
        Map<String, List<Double>> seconds = new LinkedHashMap<>();
        Path store = Files.createDirectories(dir.resolve("store"));
        StorageHandler moveToStore = instance -> Files.move(instance.file(), store.resolve(instance.sopInstanceUid()),
                StandardCopyOption.REPLACE_EXISTING);

        try (Dcmtk.StoreScp storescp = Dcmtk.storescp("STORESCP", dir.resolve("storescp"), dir.resolve("storescp.log"));
             DicomReceiver receiver = DicomReceiver.start(ReceiverConfig.defaults("GATEWAY", dir.resolve("incoming")),
                     moveToStore, AssociationListener.NONE)) {
            RemoteAe storescpAe = new RemoteAe("127.0.0.1", storescp.port(), "STORESCP");
            DicomSender noDelay = new DicomSender(SenderOptions.defaults("BENCH"));
            DicomSender nagle = new DicomSender(SenderOptions.defaults("BENCH").withTcpNoDelay(false));
            noDelay.store(storescpAe, series.files().subList(0, 20)); // warm-up: JIT, page cache
            for (int rep = 0; rep < reps; rep++) {
                time(seconds, "DicomSender -> storescp, TCP_NODELAY on (our fix)", () -> check(noDelay.store(storescpAe, series.files())));
                clear(storescp.outputDirectory());
                time(seconds, "DicomSender -> storescp, TCP_NODELAY off (PixelMed as is)", () -> check(nagle.store(storescpAe, series.files())));
                clear(storescp.outputDirectory());
                time(seconds, "storescu -> storescp (TCP_NODELAY=1)", () -> storescu(storescp.port(), "STORESCP", series));
                clear(storescp.outputDirectory());
                time(seconds, "storescu -> DicomReceiver", () -> storescu(receiver.port(), "GATEWAY", series));
                clear(store);
                time(seconds, "DicomSender -> DicomReceiver", () ->
                        check(noDelay.store(new RemoteAe("127.0.0.1", receiver.port(), "GATEWAY"), series.files())));
                clear(store);
            }
        }
        StringBuilder report = new StringBuilder(String.format(Locale.ROOT,
                "%d files, %.1f MB (512x512 CT), %d repetitions, loopback, load average %s%n", series.files().size(), mb,
                reps, Files.readString(Path.of("/proc/loadavg")).strip()));
        seconds.forEach((name, s) -> {
            List<Double> sorted = s.stream().sorted(Comparator.naturalOrder()).toList();
            report.append(String.format(Locale.ROOT, "%-58s median %6.1f MB/s  (%s s)%n", name,
                    mb / sorted.get(sorted.size() / 2),
                    String.join(" ", s.stream().map(x -> String.format(Locale.ROOT, "%.2f", x)).toList())));
        });
        System.out.print(report);
        Files.writeString(Path.of("target", "net-bench.txt"), report);
    }

    private interface Run {
        void run() throws Exception;
    }

    private static void time(Map<String, List<Double>> seconds, String name, Run run) throws Exception {
        long t0 = System.nanoTime();
        run.run();
        seconds.computeIfAbsent(name, k -> new ArrayList<>()).add((System.nanoTime() - t0) / 1e9);
    }

    private static void storescu(int port, String aet, SyntheticSeries.Written series) throws Exception {
        Dcmtk.Result r = Dcmtk.storescu("BENCH", aet, port, series.files());
        if (r.exitCode() != 0) throw new IllegalStateException("storescu failed:\n" + r.output());
    }

    private static void check(StoreResult result) {
        if (!result.allStored()) throw new IllegalStateException("not all stored: " + result.failures());
    }

    private static void clear(Path directory) throws IOException {
        try (Stream<Path> files = Files.list(directory)) {
            for (Path f : files.toList()) Files.delete(f);
        }
    }
}
