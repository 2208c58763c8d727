package org.seggateway.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.seggateway.local.PostgresDatabase;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "ingest", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"C-STORE ingest throughput of the gateway's listener (packaged gateway, fresh PostgreSQL database, queue",
                "off: spool with fsync and a committed row per instance) beside Orthanc (fsync of every file, SQLite index) and",
                "DCMTK storescp (no fsync), the same files sent by DCMTK storescu (TCP_NODELAY=1) over one association and over",
                "several concurrent ones, in interleaved rounds; prints MB/s and the ratio gateway/Orthanc."})
final class BenchIngestCommand implements Callable<Integer> {

    @Option(names = "--size", split = "x", paramLabel = "RxCxS", description = "series rows x columns x slices (default 512x512x300)")
    int[] size = {512, 512, 300};

    @Option(names = "--rounds", defaultValue = "2", description = "interleaved rounds (default ${DEFAULT-VALUE})")
    int rounds;

    @Option(names = "--associations", defaultValue = "8", description = "concurrent associations of the second case (default ${DEFAULT-VALUE}; 1: only one association)")
    int associations;

    @Option(names = "--jfr", description = "record the gateway with Java Flight Recorder (gateway/gateway.jfr in the work folder)")
    boolean flightRecording;

    @Option(names = "--dir", paramLabel = "DIR", description = "work folder (default target/bench-ingest); series are written once and reused")
    Path dir = Path.of("target", "bench-ingest");

    @Override
    public Integer call() throws Exception {
        if (size.length != 3) throw new IllegalArgumentException("--size needs ROWSxCOLUMNSxSLICES");
        if (rounds < 1) throw new IllegalArgumentException("--rounds must be at least 1");
        if (associations < 1) throw new IllegalArgumentException("--associations must be at least 1");
        new IngestBench(System.out).run(new IngestBench.Settings(dir, size, rounds, associations, flightRecording,
                PostgresDatabase.setupDefault()));
        return 0;
    }
}
