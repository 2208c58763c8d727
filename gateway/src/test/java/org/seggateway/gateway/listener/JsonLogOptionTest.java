package org.seggateway.gateway.listener;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.logging.json.runtime.JsonLogConfig;
import io.quarkus.logging.json.runtime.LoggingJsonRecorder;
import io.quarkus.runtime.RuntimeValue;
import io.smallrye.config.EnvConfigSource;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.logging.Formatter;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;
import org.seggateway.gateway.logging.LogContext;

/**
 * The JSON log option (docs/log-events.md): off with the gateway's application.properties; the documented switch
 * turns on a console formatter that writes one JSON line per event, with the event id and the MDC fields. The
 * formatter is Quarkus' own, built from the configuration the way Quarkus builds it at start.
 */
class JsonLogOptionTest {

    @Test
    void offByDefault() throws IOException {
        assertTrue(consoleJsonFormatter(Map.of()).isEmpty());
    }

    @Test
    void theSwitchWritesOneJsonLineWithTheEventIdAndTheContext() throws IOException {
        Formatter json = consoleJsonFormatter(Map.of("QUARKUS_LOG_CONSOLE_JSON_ENABLED", "true")).orElseThrow();
        List<String> lines = new ArrayList<>();
        Handler capture = new Handler() {
            @Override
            public void publish(LogRecord record) {
                lines.add(getFormatter().format(record));
            }

            @Override
            public void flush() {}

            @Override
            public void close() {}
        };
        capture.setFormatter(json);
        Logger category = Logger.getLogger(ListenerLog.class.getPackageName());
        category.addHandler(capture);
        try (LogContext context = LogContext.with(LogContext.ASSOCIATION_ID, "12", LogContext.SERIES_UID, "1.2.3.4")) {
            ListenerLog.LOG.refused("CT01", "0xC000", "invalid UID");
        } finally {
            category.removeHandler(capture);
        }

        assertEquals(1, lines.size());
        assertEquals(1, lines.getFirst().strip().lines().count(), lines.getFirst());
        JsonNode line = new ObjectMapper().readTree(lines.getFirst());
        assertEquals("SEGGW0504: refused C-STORE from CT01 with 0xC000: invalid UID", line.path("message").asText());
        assertEquals("WARN", line.path("level").asText());
        assertEquals("12", line.path("mdc").path("associationId").asText());
        assertEquals("1.2.3.4", line.path("mdc").path("seriesUid").asText());
    }

    /** The console's JSON formatter as Quarkus would set it up from application.properties and the environment. */
    private static Optional<Formatter> consoleJsonFormatter(Map<String, String> environment) throws IOException {
        SmallRyeConfig config = new SmallRyeConfigBuilder()
                .withSources(new PropertiesConfigSource(JsonLogOptionTest.class.getResource("/application.properties"), 250))
                .withSources(new EnvConfigSource(environment, 300))
                .withMapping(JsonLogConfig.class)
                .withValidateUnknown(false)
                .build();
        return new LoggingJsonRecorder(new RuntimeValue<>(config.getConfigMapping(JsonLogConfig.class)), new RuntimeValue<>())
                .initializeConsoleJsonLogging().getValue();
    }
}
