package org.seggateway.gateway.config;

import io.quarkus.runtime.configuration.DurationConverter;
import io.quarkus.runtime.configuration.MemorySize;
import io.quarkus.runtime.configuration.MemorySizeConverter;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.time.Duration;
import java.util.Map;

/** A {@link GatewayConfig} read by SmallRye Config from properties, as the gateway reads its own, for plain unit tests. */
public final class TestConfigs {
    private TestConfigs() {}

    public static GatewayConfig gatewayConfig(Map<String, String> properties) {
        return new SmallRyeConfigBuilder().withMapping(GatewayConfig.class)
                .withConverter(Duration.class, 200, new DurationConverter())
                .withConverter(MemorySize.class, 200, new MemorySizeConverter())
                .withSources(new PropertiesConfigSource(properties, "test", 100)).build().getConfigMapping(GatewayConfig.class);
    }
}
