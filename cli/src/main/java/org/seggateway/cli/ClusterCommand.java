package org.seggateway.cli;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "cluster", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"The scale-out topology on this machine, on loopback: Kafka brokers in one KRaft cluster (replication 3,"
                + " min.insync.replicas 2), a PostgreSQL server of its own, gateways sharing that database and one spool (one AE"
                + " title, as behind a load balancer), CPU workers with the demo model in one consumer group, and a C-STORE"
                + " receiver standing in for the PACS. Prints the topology, then reads commands from standard input:",
                "",
                ClusterConsole.HELP,
                "",
                "With --load, a synthetic CT series is sent every SECONDS to the gateways in turn (instances not acknowledged go"
                        + " again to the next gateway); 'check' then says whether every acknowledged instance is stored and every"
                        + " series has exactly its SEGs at the PACS. Everything is stopped at 'quit', at the end of input or on"
                        + " Ctrl-C."})
final class ClusterCommand implements Callable<Integer> {

    @Option(names = "--brokers", defaultValue = "3", description = "Kafka brokers (default ${DEFAULT-VALUE})")
    int brokers;

    @Option(names = "--gateways", defaultValue = "2", description = "gateways (default ${DEFAULT-VALUE})")
    int gateways;

    @Option(names = "--workers", defaultValue = "3", description = "CPU workers (default ${DEFAULT-VALUE})")
    int workers;

    @Option(names = "--model", paramLabel = "DIR", description = "model package (default models/demo-abdomen-unet)")
    Path model;

    @Option(names = "--quiet-time", defaultValue = "5", paramLabel = "SECONDS", description = "the route's quiet time (default ${DEFAULT-VALUE})")
    int quietSeconds;

    @Option(names = "--load", defaultValue = "0", paramLabel = "SECONDS", description = "send a series every SECONDS (default: no load)")
    double loadSeconds;

    @Option(names = "--size", split = "x", paramLabel = "RxCxS", description = "rows x columns x slices of the load's series (default 64x64x24)")
    int[] size = {64, 64, 24};

    @Option(names = "--postgres-bin", paramLabel = "DIR", description = "PostgreSQL server programs (default: Debian's, else the bundled ones)")
    Path postgresBin;

    @Option(names = "--work", paramLabel = "DIR", description = "work folder, kept (default target/cluster/TIME)")
    Path work;

    @Override
    public Integer call() throws Exception {
        if (size.length != 3) throw new IllegalArgumentException("--size needs ROWSxCOLUMNSxSLICES");
        Path folder = work != null ? work : ProjectHome.get().resolve("target/cluster/"
                + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
        LocalCluster.Settings settings = new LocalCluster.Settings(folder, brokers, gateways, workers,
                model != null ? model : DemoSettings.defaults().modelPackage(), Duration.ofSeconds(quietSeconds), Optional.empty(),
                Map.of(), Optional.ofNullable(postgresBin));
        System.out.println("cluster: starting in " + folder.toAbsolutePath());
        try (StopOnExit stop = new StopOnExit(problem -> System.out.println("cluster: " + problem))) {
            LocalCluster cluster = stop.add("cluster", LocalCluster.start(settings, line -> System.out.println("cluster: " + line)));
            System.out.print(cluster.topology());
            Optional<SeriesLoad> load = Optional.empty();
            if (loadSeconds > 0) {
                load = Optional.of(stop.add("load", SeriesLoad.start(folder.resolve("load"), cluster.gatewayAes(),
                        Duration.ofMillis((long) (loadSeconds * 1000)), size, line -> System.out.println("load: " + line))));
                System.out.printf("load: a %dx%dx%d CT series every %.1f s from %s%n", size[0], size[1], size[2], loadSeconds,
                        SeriesLoad.MODALITY_AE);
            }
            SegArrivals pacs = cluster.standInPacs().orElseThrow();
            new ClusterConsole(cluster, load, Optional.of(new ClusterCheck(cluster.database(), pacs::segsByStudy)), System.out)
                    .run(new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)));
            System.out.println("cluster: stopping");
        }
        return 0;
    }
}
