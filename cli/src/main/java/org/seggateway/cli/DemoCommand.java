package org.seggateway.cli;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.seggateway.local.PostgresDatabase;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "demo", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"The single-machine default, once through: starts a Kafka broker (KRaft, from the Maven jars), "
                + "a PostgreSQL database, the gateway, one CPU inference worker with the demo model and a C-STORE receiver "
                + "standing in for the PACS, all on loopback; sends the bundled sample CT series to the gateway, waits "
                + "for its DICOM SEG at the receiver, prints where it went and the timings, stops everything and exits 0.",
                "",
                "PostgreSQL: a fresh database (dropped afterwards) on the server of --jdbc-url when it answers (scripts/setup.sh "
                        + "prepares 127.0.0.1:5432), else a private server from the PostgreSQL binaries bundled from Maven Central "
                        + "(linux-amd64) or --postgres-bin; as root the private server runs as the user 'postgres' or 'nobody'."})
final class DemoCommand implements Callable<Integer> {

    @Option(names = "--work", paramLabel = "DIR",
            description = "work folder (services' data, spool, logs, sample, received SEG), kept; default: target/demo/TIME, deleted after a successful run")
    Path work;

    @Option(names = "--keep", description = "keep the default work folder")
    boolean keep;

    @Option(names = "--size", split = "x", paramLabel = "RxCxS", description = "sample series rows x columns x slices (default 256x256x80)")
    int[] size;

    @Option(names = "--timeout", defaultValue = "600", paramLabel = "SECONDS", description = "longest wait for the SEG (default ${DEFAULT-VALUE})")
    int timeoutSeconds;

    @Option(names = "--jdbc-url", paramLabel = "URL", description = "PostgreSQL to try first (default jdbc:postgresql://127.0.0.1:5432/seggateway)")
    String jdbcUrl;

    @Option(names = "--db-user", description = "its role (default seggateway; needs CREATEDB)")
    String dbUser;

    @Option(names = "--db-password", description = "its password (default seggateway)")
    String dbPassword;

    @Option(names = "--postgres-bin", paramLabel = "DIR", description = "server programs for a private server, e.g. /usr/lib/postgresql/15/bin")
    Path postgresBin;

    @Option(names = "--model", paramLabel = "DIR", description = "model package of the demo route (default models/demo-abdomen-unet)")
    Path model;

    @Override
    public Integer call() throws Exception {
        DemoSettings d = DemoSettings.defaults();
        if (size != null && size.length != 3) throw new IllegalArgumentException("--size needs ROWSxCOLUMNSxSLICES");
        PostgresDatabase setup = d.postgres();
        PostgresDatabase postgres = new PostgresDatabase(jdbcUrl != null ? jdbcUrl : setup.jdbcUrl(),
                dbUser != null ? dbUser : setup.username(), dbPassword != null ? dbPassword : setup.password());
        DemoSettings settings = new DemoSettings(Optional.ofNullable(work), keep, size != null ? size : d.size(),
                Duration.ofSeconds(timeoutSeconds), postgres, Optional.ofNullable(postgresBin), model != null ? model : d.modelPackage());
        new Demo(System.out).run(settings);
        return 0;
    }
}
