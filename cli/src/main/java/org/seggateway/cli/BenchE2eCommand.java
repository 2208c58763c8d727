package org.seggateway.cli;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import org.seggateway.local.PostgresDatabase;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "e2e", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Times one CT series through the whole product, from the first C-STORE to the SEG stored at the receiver,",
                "per stage (receive, quiet time (excluded), assemble, queue, infer, SEG build, deliver) and the gateway overhead (last",
                "instance stored to SEG stored, less quiet time and inference), on a local Kafka broker,",
                "a fresh PostgreSQL database, the packaged gateway, one CPU worker with the model and a C-STORE receiver;",
                "then the ingest throughput of DCMTK storescu (TCP_NODELAY=1) into the gateway's listener beside DCMTK",
                "storescp and Orthanc receiving the same files in the same run. A small warm-up series goes through first."})
final class BenchE2eCommand implements Callable<Integer> {

    @Option(names = "--size", split = "x", paramLabel = "RxCxS", description = "series rows x columns x slices (default 512x512x300)")
    int[] size = {512, 512, 300};

    @Option(names = "--quiet-time", defaultValue = "2", paramLabel = "SECONDS",
            description = "the route's quiet time; excluded from the total (default ${DEFAULT-VALUE})")
    int quietSeconds;

    @Option(names = "--model", paramLabel = "DIR", description = "model package of the route (default models/demo-abdomen-unet)")
    Path model;

    @Option(names = "--provider", defaultValue = "cpu", description = "worker execution provider: cpu, cuda or auto (default ${DEFAULT-VALUE})")
    String provider;

    @Option(names = "--dir", paramLabel = "DIR", description = "work folder (default target/bench-e2e); series are written once and reused")
    Path dir = Path.of("target", "bench-e2e");

    @Option(names = "--timeout", defaultValue = "1800", paramLabel = "SECONDS", description = "longest wait for a SEG (default ${DEFAULT-VALUE})")
    int timeoutSeconds;

    @Override
    public Integer call() throws Exception {
        if (size.length != 3) throw new IllegalArgumentException("--size needs ROWSxCOLUMNSxSLICES");
        Path modelPackage = model != null ? model : ProjectHome.get().resolve("models/demo-abdomen-unet");
        new E2eBench(System.out).run(new E2eBench.Settings(dir, size, Duration.ofSeconds(quietSeconds), modelPackage, provider,
                Duration.ofSeconds(timeoutSeconds), PostgresDatabase.setupDefault()));
        return 0;
    }
}
