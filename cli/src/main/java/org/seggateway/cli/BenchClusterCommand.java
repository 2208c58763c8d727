package org.seggateway.cli;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "cluster", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Series per hour through the local cluster of 'seg-gateway cluster' (3 Kafka brokers, 2 gateways, the demo",
                "model on CPU workers, a stand-in PACS), held for --minutes, for each number of workers in --workers; prints the",
                "CPU each kind of node used, which says what bounds the figure on this machine."})
final class BenchClusterCommand implements Callable<Integer> {

    @Option(names = "--workers", split = ",", defaultValue = "1,2,3", description = "numbers of workers, in order (default ${DEFAULT-VALUE})")
    List<Integer> workers;

    @Option(names = "--minutes", defaultValue = "10", description = "window measured per number of workers (default ${DEFAULT-VALUE})")
    double minutes;

    @Option(names = "--warmup", defaultValue = "60", paramLabel = "SECONDS", description = "before each window (default ${DEFAULT-VALUE})")
    int warmupSeconds;

    @Option(names = "--size", split = "x", paramLabel = "RxCxS", description = "series rows x columns x slices (default 128x128x48)")
    int[] size = {128, 128, 48};

    @Option(names = "--in-flight", defaultValue = "4", paramLabel = "N", description = "series sent and not yet answered, per worker (default ${DEFAULT-VALUE})")
    int inFlight;

    @Option(names = "--dir", paramLabel = "DIR", description = "work folder (default target/bench-cluster)")
    Path dir = Path.of("target", "bench-cluster");

    @Override
    public Integer call() throws Exception {
        if (size.length != 3) throw new IllegalArgumentException("--size needs ROWSxCOLUMNSxSLICES");
        if (workers.isEmpty() || workers.stream().anyMatch(w -> w < 1)) throw new IllegalArgumentException("--workers needs counts of 1 or more");
        new ClusterBench(System.out).run(new ClusterBench.Settings(dir.resolve(Long.toString(System.currentTimeMillis())), workers,
                Duration.ofSeconds(warmupSeconds), Duration.ofMillis((long) (minutes * 60_000)), size, inFlight));
        return 0;
    }
}
