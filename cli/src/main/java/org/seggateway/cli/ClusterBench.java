package org.seggateway.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.seggateway.dicomio.net.DicomSender;
import org.seggateway.dicomio.net.RemoteAe;
import org.seggateway.dicomio.net.StoreResult;
import org.seggateway.dicomio.synthetic.SyntheticSeries;

/**
 * Series per hour through {@link LocalCluster} (3 brokers, 2 gateways, the demo model on CPU workers), held for a
 * window, for each number of workers asked: a closed loop keeps a few series per worker sent but not yet answered
 * (so the workers never wait for input and nothing piles up), and the SEGs arriving at the stand-in PACS in the window
 * are counted. The CPU seconds each kind of node used in the window say what bounds the figure.
 */
final class ClusterBench {
    /** @param inFlightPerWorker series sent and not yet answered, per worker */
    record Settings(Path work, List<Integer> workerCounts, Duration warmup, Duration window, int[] size, int inFlightPerWorker) {}

    private final PrintStream out;

    ClusterBench(PrintStream out) {
        this.out = out;
    }

    void run(Settings settings) throws Exception {
        int most = settings.workerCounts().stream().max(Integer::compare).orElseThrow();
        LocalCluster.Settings clusterSettings = new LocalCluster.Settings(settings.work(), 3, 2, most,
                DemoSettings.defaults().modelPackage(), Duration.ofSeconds(2), Optional.empty(), Map.of(), Optional.empty());
        List<String> rows = new ArrayList<>();
        try (LocalCluster cluster = LocalCluster.start(clusterSettings, line -> out.println("bench cluster: " + line))) {
            out.print(cluster.topology());
            SegArrivals pacs = cluster.standInPacs().orElseThrow();
            AtomicInteger arrived = new AtomicInteger(), sent = new AtomicInteger(), allowedInFlight = new AtomicInteger();
            AtomicBoolean running = new AtomicBoolean(true);
            Thread counter = Thread.ofPlatform().daemon().name("seg-counter").start(() -> {
                while (running.get()) {
                    try {
                        pacs.next(Duration.ofSeconds(1), () -> {});
                        arrived.incrementAndGet();
                    } catch (TimeoutException none) {
                        // none this second
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            });
            Thread sender = Thread.ofPlatform().daemon().name("modality").start(() -> send(settings, cluster.gatewayAes(),
                    sent, arrived, allowedInFlight, running));
            try {
                for (int workers : settings.workerCounts()) {
                    setWorkers(cluster, workers, most);
                    allowedInFlight.set(settings.inFlightPerWorker() * workers + 2);
                    Thread.sleep(settings.warmup().toMillis());
                    Map<String, Double> cpuBefore = cpuSecondsByKind(cluster);
                    int from = arrived.get();
                    long t0 = System.nanoTime();
                    Thread.sleep(settings.window().toMillis());
                    double seconds = (System.nanoTime() - t0) / 1e9;
                    int segs = arrived.get() - from;
                    Map<String, Double> cpuAfter = cpuSecondsByKind(cluster);
                    StringBuilder cpu = new StringBuilder();
                    cpuAfter.forEach((kind, s) -> cpu.append(String.format(Locale.ROOT, " %s %.0f%%", kind,
                            100 * (s - cpuBefore.getOrDefault(kind, 0.0)) / seconds)));
                    String row = String.format(Locale.ROOT, "%7d %8d %9.0f %12.1f  %s", workers, segs, segs * 3600 / seconds,
                            seconds, cpu.toString().strip());
                    rows.add(row);
                    out.println("bench cluster: " + row);
                }
            } finally {
                running.set(false);
                sender.join(60_000);
                counter.join(5_000);
            }
        }
        int[] s = settings.size();
        out.printf(Locale.ROOT, "%nseries/h through the cluster (%dx%dx%d CT, demo model on CPU, 1 thread a worker; 3 brokers,"
                        + " 2 gateways; %d cores, load average %.1f at the end)%n", s[0], s[1], s[2],
                Runtime.getRuntime().availableProcessors(), ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        out.println("workers     SEGs  series/h   window (s)  CPU used in the window (100% = one core)");
        rows.forEach(out::println);
    }

    /** Workers 1..count run, the others are stopped. */
    private void setWorkers(LocalCluster cluster, int count, int most) throws Exception {
        for (int i = 1; i <= most; i++) {
            ClusterNode worker = cluster.node("worker-" + i);
            if (i <= count && !worker.isAlive()) worker.start();
            if (i > count && worker.isAlive()) worker.stop();
        }
    }

    /** The closed loop: sends a new series whenever fewer than allowed are unanswered, to the gateways in turn. */
    private void send(Settings settings, List<RemoteAe> gateways, AtomicInteger sent, AtomicInteger arrived,
                      AtomicInteger allowedInFlight, AtomicBoolean running) {
        DicomSender modality = new DicomSender(SeriesLoad.MODALITY_AE);
        int[] size = settings.size();
        while (running.get()) {
            try {
                if (sent.get() - arrived.get() >= allowedInFlight.get()) {
                    Thread.sleep(50);
                    continue;
                }
                int n = sent.get();
                SyntheticSeries.Written ct = SyntheticSeries.ct().size(size[0], size[1], size[2]).spacing(1.5, 1.5, 3.0)
                        .noise(5, n).write(settings.work().resolve("series").resolve(Integer.toString(n % 64)));
                StoreResult r = modality.store(gateways.get(n % gateways.size()), ct.files());
                if (!r.allStored()) out.println("bench cluster: series " + n + ": " + r.failures().getFirst());
                sent.incrementAndGet();
                Demo.deleteTree(ct.directory());
            } catch (InterruptedException e) {
                return;
            } catch (IOException e) {
                out.println("bench cluster: sending failed: " + e.getMessage());
            }
        }
    }

    /** CPU seconds so far of the running nodes, summed by kind (gateway, worker, broker, postgres), and of this JVM. */
    private static Map<String, Double> cpuSecondsByKind(LocalCluster cluster) {
        Map<String, Double> seconds = new LinkedHashMap<>();
        for (ClusterNode node : cluster.nodes()) {
            String kind = node.name().replaceAll("-\\d+$", "");
            for (ProcessHandle p : node.processes())
                seconds.merge(kind, p.info().totalCpuDuration().map(d -> d.toNanos() / 1e9).orElse(0.0), Double::sum);
        }
        seconds.put("bench (modality, PACS)", ProcessHandle.current().info().totalCpuDuration().map(d -> d.toNanos() / 1e9).orElse(0.0));
        return seconds;
    }
}
