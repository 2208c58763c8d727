package org.seggateway.gateway.listener;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.IOException;
import java.util.HashSet;
import org.jboss.logging.Logger;
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
    private static final Logger LOG = Logger.getLogger(DicomListener.class);

    private final GatewayConfig config;
    private final IngestHandler handler;
    private final AssociationAuditor auditor;
    private volatile DicomReceiver receiver;

    DicomListener(GatewayConfig config, IngestHandler handler, AssociationAuditor auditor) {
        this.config = config;
        this.handler = handler;
        this.auditor = auditor;
    }

    void onStart(@Observes StartupEvent event) throws IOException {
        if (!config.scp().enabled()) {
            LOG.info("DICOM listener disabled (seg-gateway.scp.enabled=false)");
            return;
        }
        GatewayConfig.Scp scp = config.scp();
        ReceiverConfig receiverConfig = ReceiverConfig.defaults(scp.aeTitle(), config.spool().resolve("incoming"))
                .withBindAddress(scp.bindAddress())
                .withPort(scp.port())
                .withAllowedCallingAeTitles(new HashSet<>(scp.allowedCallingAeTitles().orElse(java.util.List.of())))
                .withIdleTimeout(scp.idleTimeout())
                .withMaxPduLength(scp.maxPduLength());
        receiver = DicomReceiver.start(receiverConfig, handler, auditor);
        LOG.infof("DICOM listener %s on %s:%d, calling AE titles %s", scp.aeTitle(), scp.bindAddress(), receiver.port(),
                receiverConfig.allowedCallingAeTitles().isEmpty() ? "any" : receiverConfig.allowedCallingAeTitles());
    }

    void onStop(@Observes ShutdownEvent event) {
        DicomReceiver r = receiver;
        if (r != null) {
            r.close();
            LOG.info("DICOM listener stopped");
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

    /** The bound port (the actual one when configured as 0); -1 when not started. */
    public int port() {
        DicomReceiver r = receiver;
        return r == null ? -1 : r.port();
    }
}
