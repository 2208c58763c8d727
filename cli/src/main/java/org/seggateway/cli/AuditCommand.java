package org.seggateway.cli;

import picocli.CommandLine.Command;

@Command(name = "audit", mixinStandardHelpOptions = true, description = "The gateway's audit trail.",
        subcommands = {AuditVerifyCommand.class})
final class AuditCommand {
}
