package org.seggateway.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The chart and the container image name things the code defines (worker options, jar paths, the main class, the
 * health extension); a rename there must fail here, not in a hospital's cluster.
 */
class ChartMatchesTheCodeTest {
    static final Path ROOT = Chart.DIR.resolve("../../..").normalize();
    static final Path CLI = ROOT.resolve("cli/src/main/java/org/seggateway/cli");

    @Test
    void everyWorkerArgumentIsAnOptionOfTheWorkerCommand() throws IOException {
        Set<String> options = options(CLI.resolve("WorkerCommand.java"));
        options.addAll(options(CLI.resolve("GpuOptions.java")));
        assertThat(Files.readString(CLI.resolve("WorkerCommand.java"))).contains("@Command(name = \"worker\"");
        for (String values : List.of("gpu-cluster-values.yaml", "cpu-only-values.yaml")) {
            List<String> args = new Rendered(Chart.render(Chart.values(values))).worker().getArgs();
            assertThat(args.getFirst()).isEqualTo("worker");
            for (String arg : args.subList(1, args.size()))
                assertThat(options).as("worker option of %s (%s)", arg, values).contains(arg.substring(0, arg.indexOf('=')));
        }
    }

    @Test
    void containerfileCopiesWhatTheBuildProduces() throws IOException {
        String containerfile = Files.readString(ROOT.resolve("deploy/container/Containerfile"));
        String cliPom = Files.readString(ROOT.resolve("cli/pom.xml"));
        String launcher = Files.readString(ROOT.resolve("bin/seg-gateway"));
        String entrypoint = Files.readString(ROOT.resolve("deploy/container/entrypoint.sh"));
        // the CLI jar and its libraries as cli/pom.xml names them
        assertThat(cliPom).contains("<finalName>seg-gateway</finalName>").contains("<outputDirectory>${project.build.directory}/lib</outputDirectory>");
        assertThat(containerfile).contains("COPY cli/target/seg-gateway.jar ", "COPY cli/target/lib/ ", "COPY gateway/target/quarkus-app/ /opt/seg-gateway/gateway/");
        // the gateway application where bin/seg-gateway finds it, run from the copied folder
        assertThat(launcher).contains("gateway/target/quarkus-app/quarkus-run.jar");
        assertThat(entrypoint).contains("-jar /opt/seg-gateway/gateway/quarkus-run.jar");
        // the same main class as bin/seg-gateway
        Matcher main = Pattern.compile("(org\\.seggateway\\.cli\\.\\w+) \"\\$@\"").matcher(launcher);
        assertThat(main.find()).isTrue();
        assertThat(entrypoint).contains(main.group(1) + " \"$@\"");
        assertThat(CLI.resolve(main.group(1).substring(main.group(1).lastIndexOf('.') + 1) + ".java")).isRegularFile();
        // the chart's pods run as the user the image makes
        assertThat(containerfile).contains("--uid 10001", "USER 10001:10001");
        assertThat(Files.readString(Chart.DIR.resolve("values.yaml"))).contains("runAsUser: 10001");
    }

    @Test
    void probesUseTheGatewaysHealthExtension() throws IOException {
        assertThat(Files.readString(ROOT.resolve("gateway/pom.xml"))).contains("<artifactId>quarkus-smallrye-health</artifactId>");
        // and the paths stay open without a login
        assertThat(Files.readString(ROOT.resolve("gateway/src/main/resources/application.properties")))
                .doesNotContainPattern("quarkus\\.http\\.auth\\.permission\\.[\\w-]+\\.paths=.*/q/health");
    }

    private static Set<String> options(Path source) throws IOException {
        Matcher m = Pattern.compile("names = \"(--[\\w-]+)\"").matcher(Files.readString(source));
        return m.results().map(r -> r.group(1)).collect(Collectors.toCollection(java.util.HashSet::new));
    }
}
