package org.seggateway.gateway.egress;

import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.seggateway.dicomio.net.SenderOptions;
import org.seggateway.dicomio.net.SenderTls;
import org.seggateway.dicomio.net.StoreTransferSyntaxes;
import org.seggateway.gateway.config.GatewayConfig;

/**
 * How the gateway associates with each DICOM destination ({@code seg-gateway.destinations.NAME.transfer-syntaxes} and
 * {@code .tls.*}): the transfer syntaxes offered and the TLS context, whose key and trust stores are loaded once, at
 * start, so that a wrong password or a broken store fails the start naming its key rather than every delivery.
 */
@ApplicationScoped
public class DestinationSenders {
    private static final EgressLog LOG = EgressLog.LOG;

    private final GatewayConfig config;
    private final Map<String, SenderTls> tlsByDestination = new ConcurrentHashMap<>();

    DestinationSenders(GatewayConfig config) {
        this.config = config;
    }

    void onStart(@Observes StartupEvent event) {
        config.destinations().forEach((name, destination) -> {
            if (destination.kind() != GatewayConfig.DestinationKind.DIMSE) return;
            List<String> offered = StoreTransferSyntaxes.writable(destination.transferSyntaxes());
            List<String> ignored = destination.transferSyntaxes().stream().map(String::strip)
                    .filter(ts -> !offered.contains(ts)).toList();
            if (!ignored.isEmpty()) LOG.transferSyntaxesIgnored(name, ignored);
            SenderTls tls = tls(name, destination);
            LOG.destinationAssociation(name, offered, tls == null ? "plain TCP" : tls.toString());
        });
    }

    /**
     * The options for associating with destination {@code name} as {@code callingAeTitle}.
     *
     * @throws IllegalStateException its TLS stores cannot be loaded (the message names the key)
     */
    public SenderOptions options(String name, GatewayConfig.Destination destination, String callingAeTitle) {
        return SenderOptions.defaults(callingAeTitle)
                .withTransferSyntaxes(StoreTransferSyntaxes.writable(destination.transferSyntaxes()))
                .withTls(tls(name, destination));
    }

    private SenderTls tls(String name, GatewayConfig.Destination destination) {
        GatewayConfig.DestinationTls t = destination.tls();
        if (!t.enabled()) return null;
        return tlsByDestination.computeIfAbsent(name, n -> {
            try {
                return SenderTls.load(t.trustStore().orElse(null), t.trustStorePassword().orElse(null),
                        t.keyStore().orElse(null), t.keyStorePassword().orElse(null), t.verifyHostName());
            } catch (IOException e) {
                throw new IllegalStateException("seg-gateway.destinations." + n + ".tls: " + e.getMessage(), e);
            }
        });
    }
}
