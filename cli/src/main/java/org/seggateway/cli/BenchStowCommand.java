package org.seggateway.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.seggateway.local.PostgresDatabase;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "stow", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Ingest throughput of the gateway's two ingress paths in the same run: DCMTK storescu (C-STORE, one",
                "association) into the DICOM listener and one STOW-RS request (multipart/related, streamed) into",
                "POST /dicomweb/studies, on the packaged gateway with a fresh PostgreSQL database (queue off)."})
final class BenchStowCommand implements Callable<Integer> {

    @Option(names = "--size", split = "x", paramLabel = "RxCxS", description = "series rows x columns x slices (default 512x512x300)")
    int[] size = {512, 512, 300};

    @Option(names = "--rounds", defaultValue = "2", description = "series sent by each path, alternately (default ${DEFAULT-VALUE})")
    int rounds;

    @Option(names = "--dir", paramLabel = "DIR", description = "work folder (default target/bench-stow); series are written once and reused")
    Path dir = Path.of("target", "bench-stow");

    @Override
    public Integer call() throws Exception {
        if (size.length != 3) throw new IllegalArgumentException("--size needs ROWSxCOLUMNSxSLICES");
        if (rounds < 1) throw new IllegalArgumentException("--rounds must be at least 1");
        new StowBench(System.out).run(new StowBench.Settings(dir, size, rounds, PostgresDatabase.setupDefault()));
        return 0;
    }
}
