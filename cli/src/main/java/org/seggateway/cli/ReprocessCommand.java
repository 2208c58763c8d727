package org.seggateway.cli;

import picocli.CommandLine.Command;

@Command(name = "reprocess", mixinStandardHelpOptions = true,
        description = "Batch reprocessing of past series through the gateway's API (role operator).",
        subcommands = {ReprocessStartCommand.class, ReprocessStatusCommand.class, ReprocessCancelCommand.class})
final class ReprocessCommand {
}
