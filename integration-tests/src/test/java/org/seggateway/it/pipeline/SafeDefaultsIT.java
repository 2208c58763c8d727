package org.seggateway.it.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged gateway in the production profile: it starts only with a database password, listens on loopback by
 * default, and refuses plain HTTP on all interfaces.
 */
class SafeDefaultsIT {
    @TempDir
    Path directory;

    @Test
    void productionDefaultsRefuseExposureAndAMissingPassword() throws Exception {
        try (PipelineDatabase database = PipelineDatabase.create(directory.resolve("postgres"))) {
            Map<String, String> env = new LinkedHashMap<>();
            env.put("QUARKUS_DATASOURCE_JDBC_URL", database.jdbcUrl());
            env.put("QUARKUS_DATASOURCE_USERNAME", database.username());
            env.put("SEG_GATEWAY_QUEUE_ENABLED", "false");
            env.put("SEG_GATEWAY_SCP_ENABLED", "false");
            env.put("SEG_GATEWAY_SPOOL", directory.resolve("spool").toString());

            assertThatThrownBy(() -> GatewayProcess.start(directory.resolve("no-password"), env, Map.of()).close())
                    .hasMessageContaining("no database password configured: set quarkus.datasource.password");

            env.put("QUARKUS_DATASOURCE_PASSWORD", database.password());
            Map<String, String> everywhere = new LinkedHashMap<>(env);
            everywhere.put("QUARKUS_HTTP_HOST", "0.0.0.0");
            assertThatThrownBy(() -> GatewayProcess.start(directory.resolve("all-interfaces"), everywhere, Map.of()).close())
                    .hasMessageContaining("the HTTP API would listen on 0.0.0.0 with plain HTTP and no TLS");

            try (GatewayProcess gateway = GatewayProcess.start(directory.resolve("default"), env, Map.of())) {
                assertThat(gateway.get("/q/health/live")).contains("UP");
                Optional<InetAddress> lan = nonLoopbackAddress();
                if (lan.isPresent())
                    assertThat(connects(lan.get(), gateway.httpPort())).as("HTTP port on %s", lan.get()).isFalse();
            }
        }
    }

    private static boolean connects(InetAddress address, int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(address, port), 2000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static Optional<InetAddress> nonLoopbackAddress() throws IOException {
        for (NetworkInterface i : Collections.list(NetworkInterface.getNetworkInterfaces())) {
            if (!i.isUp() || i.isLoopback()) continue;
            for (InetAddress a : Collections.list(i.getInetAddresses())) if (a instanceof Inet4Address) return Optional.of(a);
        }
        return Optional.empty();
    }
}
