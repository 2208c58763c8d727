package org.seggateway.cli;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "serve", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Runs the gateway service alone (the Quarkus application in gateway/target/quarkus-app) against "
                + "the Kafka cluster and PostgreSQL server its configuration names, in the foreground, until Ctrl-C or SIGTERM.",
                "",
                "Configuration, highest precedence first: -Dkey=value options of this command; environment variables "
                        + "(QUARKUS_DATASOURCE_JDBC_URL, KAFKA_BOOTSTRAP_SERVERS, SEG_GATEWAY_SCP_PORT, ...); "
                        + "config/application.properties in the current folder; the defaults in "
                        + "gateway/src/main/resources/application.properties (docs/configuration.md)."})
final class ServeCommand implements Callable<Integer> {

    @Option(names = "-D", paramLabel = "KEY=VALUE", mapFallbackValue = "",
            description = "a configuration key for the gateway, e.g. -Dkafka.bootstrap.servers=kafka1:9092")
    Map<String, String> properties = new LinkedHashMap<>();

    @Option(names = "--jvm-option", paramLabel = "OPTION", description = "an option for the gateway's JVM, e.g. --jvm-option=-Xmx2g")
    List<String> jvmOptions = List.of();

    @Override
    public Integer call() throws Exception {
        Process gateway = new ProcessBuilder(GatewayApplication.command(jvmOptions, properties)).inheritIO().start();
        Thread hook = Thread.ofPlatform().unstarted(() -> {
            gateway.destroy();  // Quarkus shuts down gracefully on SIGTERM
            try {
                if (!gateway.waitFor(60, TimeUnit.SECONDS)) gateway.destroyForcibly();
            } catch (InterruptedException e) {
                gateway.destroyForcibly();
            }
        });
        Runtime.getRuntime().addShutdownHook(hook);
        int status = gateway.waitFor();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // Ctrl-C or SIGTERM: the hook stopped the gateway
        }
        return status;
    }
}
