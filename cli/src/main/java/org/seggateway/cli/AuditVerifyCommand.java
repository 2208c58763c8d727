package org.seggateway.cli;

import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.concurrent.Callable;
import org.seggateway.audit.AuditChain;
import org.seggateway.audit.ChainVerification;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Checks the audit table's hash chain; exit 0 when intact, 1 at the first broken link, 2 when it cannot be read. */
@Command(name = "verify", mixinStandardHelpOptions = true,
        description = {"Checks the hash chain of the gateway's audit trail (table audit_events) row by row.",
                "Prints 'chain intact: N rows' (exit 0), or the first broken link: row id, which hash, expected and found (exit 1)."})
final class AuditVerifyCommand implements Callable<Integer> {
    @Option(names = "--jdbc-url", description = "the gateway's database (default: ${DEFAULT-VALUE})",
            defaultValue = "${env:QUARKUS_DATASOURCE_JDBC_URL:-jdbc:postgresql://127.0.0.1:5432/seggateway}")
    String jdbcUrl;

    @Option(names = "--user", description = "database user (default: ${DEFAULT-VALUE})",
            defaultValue = "${env:QUARKUS_DATASOURCE_USERNAME:-seggateway}")
    String user;

    @Option(names = "--password", description = "database password (default: $QUARKUS_DATASOURCE_PASSWORD, else seggateway)",
            defaultValue = "${env:QUARKUS_DATASOURCE_PASSWORD:-seggateway}")
    String password;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        ChainVerification result;
        try (Connection c = DriverManager.getConnection(jdbcUrl, user, password)) {
            result = AuditChain.verify(c);
        }
        if (result.intact()) {
            out.println("chain intact: " + result.intactRows() + " rows");
            out.flush();
            return 0;
        }
        ChainVerification.BrokenLink broken = result.firstBroken().orElseThrow();
        out.println("chain broken at row " + broken.rowId() + ": " + broken.field() + " expected " + broken.expected()
                + ", found " + broken.found() + " (" + result.intactRows() + " rows before it intact; "
                + (broken.field().equals("hash") ? "the row's content was changed" : "a row before it was removed or inserted")
                + ")");
        out.flush();
        return 1;
    }
}
