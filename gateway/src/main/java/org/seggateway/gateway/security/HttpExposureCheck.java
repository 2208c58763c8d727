package org.seggateway.gateway.security;

import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.StreamSupport;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;
import org.seggateway.gateway.config.GatewayConfig;

/**
 * Refuses to start when the HTTP API would answer plain HTTP beyond this machine: Basic passwords and patient data
 * would cross the network in clear. The default binds loopback only ({@code quarkus.http.host=127.0.0.1}); to serve
 * the network, configure TLS and turn plain HTTP off or into a redirect, or (behind a TLS-terminating proxy) say so
 * with {@code seg-gateway.http.allow-plain-on-network=true}.
 */
@ApplicationScoped
public class HttpExposureCheck {
    private final GatewayConfig config;

    HttpExposureCheck(GatewayConfig config) {
        this.config = config;
    }

    void check(@Observes @Priority(1) StartupEvent event) {
        Config c = ConfigProvider.getConfig();
        String host = c.getOptionalValue("quarkus.http.host", String.class).orElse("0.0.0.0");
        String insecure = c.getOptionalValue("quarkus.http.insecure-requests", String.class).orElse("enabled");
        boolean tls = StreamSupport.stream(c.getPropertyNames().spliterator(), false).filter(HttpExposureCheck::isTlsKeySetting)
                .anyMatch(name -> c.getOptionalValue(name, String.class).filter(v -> !v.isBlank()).isPresent());
        problem(host, insecure, tls, config.http().allowPlainOnNetwork()).ifPresent(p -> {
            throw new IllegalStateException(p);
        });
    }

    /** Why the configuration is refused, if it is. */
    static Optional<String> problem(String host, String insecureRequests, boolean tlsConfigured, boolean plainOnNetworkAllowed) {
        if (isLoopback(host) || plainOnNetworkAllowed) return Optional.empty();
        String insecure = insecureRequests.toLowerCase(Locale.ROOT);
        if (tlsConfigured && (insecure.equals("disabled") || insecure.equals("redirect"))) return Optional.empty();
        return Optional.of("the HTTP API would listen on " + host + " with plain HTTP "
                + (tlsConfigured ? "beside TLS (quarkus.http.insecure-requests=" + insecure + ")" : "and no TLS")
                + ": passwords and patient data would cross the network in clear. Either keep quarkus.http.host=127.0.0.1 (the"
                + " default), or configure TLS (quarkus.http.ssl.certificate.files and .key-files, or .key-store-file) with"
                + " quarkus.http.insecure-requests=disabled, or, behind a TLS-terminating proxy, set"
                + " seg-gateway.http.allow-plain-on-network=true");
    }

    static boolean isLoopback(String host) {
        String h = host.trim().toLowerCase(Locale.ROOT);
        return h.equals("localhost") || h.startsWith("127.") || h.equals("::1") || h.equals("[::1]");
    }

    /** A setting naming the server's certificate or key store (the HTTP server's own, or a TLS registry's). */
    private static boolean isTlsKeySetting(String name) {
        return name.startsWith("quarkus.http.ssl.certificate.") && (name.endsWith(".files") || name.endsWith(".key-store-file"))
                || name.startsWith("quarkus.tls.") && name.contains("key-store.") && (name.endsWith(".path") || name.endsWith(".certs"));
    }
}
