package org.seggateway.cli;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import org.seggateway.local.PostgresDatabase;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "reprocess", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"How much a reprocessing batch delays live series: a live CT series from its first C-STORE to its SEG at",
                "the receiver with the worker idle, then again while a batch reprocesses past series, beside the stated bound",
                "(max-in-flight x the longest batch job); local Kafka broker, fresh PostgreSQL database, packaged gateway,",
                "one CPU worker."})
final class BenchReprocessCommand implements Callable<Integer> {

    @Option(names = "--size", split = "x", paramLabel = "RxCxS", description = "series rows x columns x slices (default 256x256x120)")
    int[] size = {256, 256, 120};

    @Option(names = "--past", defaultValue = "3", description = "past series in the batch (default ${DEFAULT-VALUE})")
    int past;

    @Option(names = "--max-in-flight", defaultValue = "1", description = "seg-gateway.reprocess.max-in-flight (default ${DEFAULT-VALUE})")
    int maxInFlight;

    @Option(names = "--model", paramLabel = "DIR", description = "model package (default models/demo-abdomen-unet)")
    Path model;

    @Option(names = "--dir", paramLabel = "DIR", description = "work folder (default target/bench-reprocess)")
    Path dir = Path.of("target", "bench-reprocess");

    @Option(names = "--timeout", defaultValue = "1800", paramLabel = "SECONDS", description = "longest wait for a SEG (default ${DEFAULT-VALUE})")
    int timeoutSeconds;

    @Override
    public Integer call() throws Exception {
        if (size.length != 3) throw new IllegalArgumentException("--size needs ROWSxCOLUMNSxSLICES");
        Path modelPackage = model != null ? model : ProjectHome.get().resolve("models/demo-abdomen-unet");
        new ReprocessBench(System.out).run(new ReprocessBench.Settings(dir, size, past, maxInFlight, modelPackage,
                Duration.ofSeconds(timeoutSeconds), PostgresDatabase.setupDefault()));
        return 0;
    }
}
