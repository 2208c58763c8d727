package org.seggateway.gateway.listener;

import jakarta.enterprise.context.ApplicationScoped;
import java.net.InetSocketAddress;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.jboss.logging.Logger;
import org.seggateway.dicomio.net.AssociationEvent;
import org.seggateway.dicomio.net.AssociationListener;
import org.seggateway.gateway.audit.AuditEvent;
import org.seggateway.gateway.audit.AuditTrail;

/** Writes every association of the DICOM listener (accepted, rejected, released, aborted) to the audit trail. */
@ApplicationScoped
public class AssociationAuditor implements AssociationListener {
    private static final Logger LOG = Logger.getLogger(AssociationAuditor.class);

    private final AuditTrail audit;

    AssociationAuditor(AuditTrail audit) {
        this.audit = audit;
    }

    @Override
    public void onEvent(AssociationEvent event) {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("associationId", event.associationId());
        details.put("calledAeTitle", event.calledAeTitle());
        if (event.remoteAddress() != null) details.put("remotePort", event.remoteAddress().getPort());
        details.put("instancesStored", event.instancesStored());
        if (!event.detail().isEmpty()) details.put("detail", event.detail());
        String outcome = event.type().name().toLowerCase(Locale.ROOT);
        if (event.type() == AssociationEvent.Type.REJECTED)
            LOG.warnf("association from %s at %s rejected: %s", event.callingAeTitle(), host(event.remoteAddress()), event.detail());
        try {
            audit.append(new AuditEvent("dicom.association", event.callingAeTitle(), host(event.remoteAddress()), null,
                    outcome, details));
        } catch (Exception e) {
            LOG.errorf("cannot audit %s association %d from %s: %s", outcome, event.associationId(),
                    event.callingAeTitle(), e.toString());
        }
    }

    static String host(InetSocketAddress address) {
        if (address == null) return null;
        return address.getAddress() == null ? address.getHostString() : address.getAddress().getHostAddress();
    }
}
