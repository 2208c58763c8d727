package org.seggateway.gateway.config;

import io.quarkus.runtime.configuration.DurationConverter;
import io.quarkus.runtime.configuration.MemorySize;
import io.quarkus.runtime.configuration.MemorySizeConverter;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfigBuilder;
import io.smallrye.config.validator.BeanValidationConfigValidator;
import jakarta.validation.Validation;
import jakarta.validation.Validator;
import java.time.Duration;
import java.util.Map;
import org.hibernate.validator.messageinterpolation.ParameterMessageInterpolator;

/** A {@link GatewayConfig} read by SmallRye Config from properties, as the gateway reads its own, for plain unit tests. */
public final class TestConfigs {
    private TestConfigs() {}

    public static GatewayConfig gatewayConfig(Map<String, String> properties) {
        return builder(properties).build().getConfigMapping(GatewayConfig.class);
    }

    /**
     * The same, checked as at the gateway's start (constraints and {@link ConfigurationCrossChecks}): a
     * {@link io.smallrye.config.ConfigValidationException} listing every problem.
     */
    public static GatewayConfig validatedGatewayConfig(Map<String, String> properties) {
        Validator validator = Validation.byDefaultProvider().configure()
                .messageInterpolator(new ParameterMessageInterpolator()).buildValidatorFactory().getValidator();
        BeanValidationConfigValidator configValidator = () -> validator;
        return builder(properties).withValidator(configValidator).build().getConfigMapping(GatewayConfig.class);
    }

    private static SmallRyeConfigBuilder builder(Map<String, String> properties) {
        return new SmallRyeConfigBuilder().withMapping(GatewayConfig.class)
                .withConverter(Duration.class, 200, new DurationConverter())
                .withConverter(MemorySize.class, 200, new MemorySizeConverter())
                .withSources(new PropertiesConfigSource(properties, "test", 100));
    }
}
