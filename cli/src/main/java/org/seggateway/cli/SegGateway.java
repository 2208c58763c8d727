package org.seggateway.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point of {@code bin/seg-gateway}: one command with a subcommand per job. */
@Command(name = "seg-gateway", mixinStandardHelpOptions = true, version = "seg-gateway 0.1.0",
        description = "DICOM segmentation gateway: series to volume, label map to DICOM SEG, inference, service.",
        subcommands = {SampleCommand.class, VolumeCommand.class, SegCommand.class, InferCommand.class, SendCommand.class,
                BenchCommand.class, ServeCommand.class, WorkerCommand.class, DemoCommand.class, ClusterCommand.class, AuditCommand.class,
                ReprocessCommand.class, HashPasswordCommand.class, ModelCommand.class})
public final class SegGateway {

    public static void main(String[] args) {
        // the log events (JBoss Logging) go to the JDK's logging, as the rest of the command line's output; left alone,
        // the facade would pick log4j from the class path, whose default configuration prints errors only
        if (System.getProperty("org.jboss.logging.provider") == null) System.setProperty("org.jboss.logging.provider", "jdk");
        System.exit(run(args));
    }

    /** Runs a command line and returns its exit status; errors are one line on stderr. */
    public static int run(String... args) {
        CommandLine cli = new CommandLine(new SegGateway());
        cli.setExecutionExceptionHandler((e, command, parsed) -> {
            command.getErr().println("error: " + oneLine(e));
            if (Boolean.getBoolean("seggateway.debug")) e.printStackTrace(command.getErr());
            return 2;
        });
        return cli.execute(args);
    }

    static String oneLine(Throwable e) {
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return message.replace('\n', ' ');
    }
}
