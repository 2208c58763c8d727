package org.seggateway.gateway.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class HttpExposureCheckTest {
    @Test
    void loopbackIsFineNetworkNeedsTlsWithoutPlainHttpOrAnExplicitAllowance() {
        assertThat(HttpExposureCheck.problem("127.0.0.1", "enabled", false, false)).isEmpty();
        assertThat(HttpExposureCheck.problem("localhost", "enabled", false, false)).isEmpty();
        assertThat(HttpExposureCheck.problem("::1", "enabled", false, false)).isEmpty();
        assertThat(HttpExposureCheck.problem("0.0.0.0", "enabled", false, false)).get().asString()
                .contains("listen on 0.0.0.0 with plain HTTP and no TLS", "quarkus.http.insecure-requests=disabled",
                        "seg-gateway.http.allow-plain-on-network=true");
        assertThat(HttpExposureCheck.problem("10.1.2.3", "enabled", true, false)).get().asString()
                .contains("beside TLS (quarkus.http.insecure-requests=enabled)");
        assertThat(HttpExposureCheck.problem("0.0.0.0", "disabled", false, false)).isPresent();
        assertThat(HttpExposureCheck.problem("0.0.0.0", "disabled", true, false)).isEmpty();
        assertThat(HttpExposureCheck.problem("0.0.0.0", "redirect", true, false)).isEmpty();
        assertThat(HttpExposureCheck.problem("0.0.0.0", "enabled", false, true)).isEmpty();
    }

    @Test
    void theShippedConfigurationBindsLoopbackAndHasNoProductionDatabasePassword() throws Exception {
        Properties p = new Properties();
        try (InputStream in = getClass().getResourceAsStream("/application.properties")) {
            p.load(in);
        }
        assertThat(p.getProperty("quarkus.http.host")).isEqualTo("127.0.0.1");
        assertThat(p.stringPropertyNames()).filteredOn(n -> n.endsWith("quarkus.datasource.password"))
                .containsExactlyInAnyOrder("%dev.quarkus.datasource.password", "%test.quarkus.datasource.password");
    }
}
