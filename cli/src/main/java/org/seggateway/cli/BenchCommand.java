package org.seggateway.cli;

import picocli.CommandLine.Command;

@Command(name = "bench", mixinStandardHelpOptions = true, description = "Benchmarks.",
        subcommands = {BenchIoCommand.class, BenchInferCommand.class, BenchE2eCommand.class, BenchReprocessCommand.class,
                BenchDecodeCommand.class, BenchStowCommand.class, BenchIngestCommand.class,
                BenchClusterCommand.class})
final class BenchCommand {
}
