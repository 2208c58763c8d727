package org.seggateway.it.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.seggateway.it.pipeline.LoopbackPorts;

/**
 * {@code bin/seg-gateway cluster} as a user drives it: the topology printed, a gateway killed and started again by
 * command while the load runs, {@code check} saying everything held, {@code quit} stopping every node.
 */
class ClusterCommandIT {
    static final Path PROJECT = Path.of(System.getProperty("user.dir")).toAbsolutePath().getParent();
    static final Pattern PORT = Pattern.compile("127\\.0\\.0\\.1:(\\d+)");

    @TempDir
    Path work;

    @Test
    @Timeout(value = 12, unit = TimeUnit.MINUTES)
    void aGatewayKilledAndStartedByCommandLosesNothingAndQuitStopsEverything() throws Exception {
        ProcessBuilder pb = new ProcessBuilder(List.of(PROJECT.resolve("bin/seg-gateway").toString(), "cluster", "--workers", "1",
                "--load", "4", "--work", work.toString())).directory(PROJECT.toFile()).redirectErrorStream(true);
        pb.environment().put("SEG_GATEWAY_NO_BUILD", "1");   // Maven built cli and gateway before this module
        Process cluster = pb.start();
        StringBuilder output = new StringBuilder();
        List<Integer> ports = new ArrayList<>();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(cluster.getInputStream(), StandardCharsets.UTF_8));
             Writer in = new OutputStreamWriter(cluster.getOutputStream(), StandardCharsets.UTF_8)) {
            String topology = readUntil(out, output, "commands:");
            for (String line : topology.lines().filter(l -> l.matches("\\s+(postgres|broker|gateway)\\S* +running.*")).toList()) {
                Matcher m = PORT.matcher(line);
                while (m.find()) ports.add(Integer.parseInt(m.group(1)));
            }
            assertThat(topology).contains("broker-3", "gateway-2", "worker-1", "stand-in receiver");
            Thread.sleep(10_000);   // a few series through both gateways
            command(in, "kill gateway-2");
            readUntil(out, output, "gateway-2 killed");
            Thread.sleep(8_000);    // the load fails over to gateway-1
            command(in, "start gateway-2");
            readUntil(out, output, "gateway-2 started");
            command(in, "check");
            String verdict = readUntil(out, output, "check: ");
            assertThat(verdict).as(output.toString()).contains("all held").doesNotContain(" 0 series");
            command(in, "quit");
            output.append(new String(cluster.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
        }
        assertThat(cluster.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(cluster.exitValue()).as(output.toString()).isZero();
        assertThat(ports).hasSizeGreaterThanOrEqualTo(8);   // PostgreSQL, 3 brokers, 2 gateways x (DICOM, HTTP)
        for (int port : ports) assertThat(LoopbackPorts.listening(port)).as("port %d still answers after quit", port).isFalse();
    }

    private static void command(Writer in, String line) throws IOException {
        in.write(line + "\n");
        in.flush();
    }

    /** Reads lines into {@code all} until one contains {@code marker}; returns what was read, that line included. */
    private static String readUntil(BufferedReader out, StringBuilder all, String marker) throws IOException {
        StringBuilder read = new StringBuilder();
        for (String line; (line = out.readLine()) != null; ) {
            read.append(line).append('\n');
            all.append(line).append('\n');
            if (line.contains(marker)) return read.toString();
        }
        throw new AssertionError("the cluster command ended before '" + marker + "':\n" + all);
    }
}
