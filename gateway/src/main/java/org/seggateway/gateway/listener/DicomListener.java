package org.seggateway.gateway.listener;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.IOException;
import java.util.HashSet;
import org.seggateway.dicomio.net.DicomReceiver;
import org.seggateway.dicomio.net.ReceiverConfig;
import org.seggateway.gateway.config.GatewayConfig;

/**
 * The gateway's DICOM SCP (C-ECHO, C-STORE): started with the application when {@code seg-gateway.scp.enabled},
 * on the configured address, port and AE title, open to the configured calling AE titles only; stopped at
 * shutdown after running associations end. Received files land in {@code <spool>/incoming} and are moved into the
 * spool by the {@link IngestHandler}. A port that cannot be bound fails the start.
 */
@ApplicationScoped
public class DicomListener {
    private static final ListenerLog LOG = ListenerLog.LOG;

    private final GatewayConfig config;
    private final IngestHandler handler;
    private final AssociationAuditor auditor;
    private volatile DicomReceiver receiver;

    DicomListener(GatewayConfig config, IngestHandler handler, AssociationAuditor auditor, MeterRegistry registry) {
        this.config = config;
        this.handler = handler;
        this.auditor = auditor;
        Gauge.builder("seggateway.dicom.connections.open", this, DicomListener::openConnections)
                .description("Connections to the DICOM listener open now, half-open ones included").register(registry);
        FunctionCounter.builder("seggateway.dicom.connections.refused", this, DicomListener::refusedOverLimit)
                .description("Connections refused (A-ASSOCIATE-RJ transient) because a connection cap was reached")
                .register(registry);
    }

    void onStart(@Observes StartupEvent event) throws IOException {
        if (!config.scp().enabled()) {
            LOG.disabled();
            return;
        }
        GatewayConfig.Scp scp = config.scp();
        ReceiverConfig receiverConfig = ReceiverConfig.defaults(scp.aeTitle(), config.spool().resolve("incoming"))
                .withBindAddress(scp.bindAddress())
                .withPort(scp.port())
                .withAllowedCallingAeTitles(new HashSet<>(scp.allowedCallingAeTitles().orElse(java.util.List.of())))
                .withIdleTimeout(scp.idleTimeout())
                .withMaxPduLength(scp.maxPduLength())
                .withLimits(ScpSettings.limits(scp.limits(), config.spool()))
                .withCallerAddresses(ScpSettings.callerAddresses(scp.callers()))
                .withTls(ScpSettings.tls(scp.tls()))
                .withTransferSyntaxes(ScpSettings.transferSyntaxes(scp));
        receiver = DicomReceiver.start(receiverConfig, handler, auditor);
        LOG.listening(scp.aeTitle(),
                scp.bindAddress(), receiver.port(), receiverConfig.tls() == null ? "plain TCP" : receiverConfig.tls(),
                receiverConfig.allowedCallingAeTitles().isEmpty() ? "any" : receiverConfig.allowedCallingAeTitles(),
                receiverConfig.callerAddresses().isEmpty() ? "any" : receiverConfig.callerAddresses(),
                receiverConfig.limits());
    }

    void onStop(@Observes ShutdownEvent event) {
        DicomReceiver r = receiver;
        if (r != null) {
            r.close();
            LOG.stopped();
        }
    }

    public boolean enabled() {
        return config.scp().enabled();
    }

    /** Whether the listener accepts associations now. */
    public boolean isListening() {
        DicomReceiver r = receiver;
        return r != null && r.isListening();
    }

    /** Connections refused since start because a connection cap was reached; 0 when not started. */
    public long refusedOverLimit() {
        DicomReceiver r = receiver;
        return r == null ? 0 : r.refusedOverLimit();
    }

    /** Connections open now, half-open ones included. */
    public int openConnections() {
        DicomReceiver r = receiver;
        return r == null ? 0 : r.openConnections();
    }

    /** The bound port (the actual one when configured as 0); -1 when not started. */
    public int port() {
        DicomReceiver r = receiver;
        return r == null ? -1 : r.port();
    }
}
