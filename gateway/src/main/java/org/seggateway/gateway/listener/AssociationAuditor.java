package org.seggateway.gateway.listener;

import jakarta.enterprise.context.ApplicationScoped;
import java.net.InetSocketAddress;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.seggateway.dicomio.net.AssociationEvent;
import org.seggateway.dicomio.net.AssociationListener;
import org.seggateway.gateway.audit.AuditEvent;
import org.seggateway.gateway.audit.AuditTrail;
import org.seggateway.gateway.logging.LogContext;

/**
 * Writes every association of the DICOM listener (accepted, rejected, released, aborted) to the audit trail; the
 * receiver logs them (docs/log-events.md, SEGGW0101-0104).
 */
@ApplicationScoped
public class AssociationAuditor implements AssociationListener {
    private static final ListenerLog LOG = ListenerLog.LOG;

    private final AuditTrail audit;

    AssociationAuditor(AuditTrail audit) {
        this.audit = audit;
    }

    @Override
    public void onEvent(AssociationEvent event) {
        try (LogContext association = LogContext.with(LogContext.ASSOCIATION_ID, String.valueOf(event.associationId()))) {
            audit(event);
        }
    }

    private void audit(AssociationEvent event) {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("associationId", event.associationId());
        details.put("calledAeTitle", event.calledAeTitle());
        if (event.remoteAddress() != null) details.put("remotePort", event.remoteAddress().getPort());
        details.put("instancesStored", event.instancesStored());
        if (!event.detail().isEmpty()) details.put("detail", event.detail());
        String outcome = event.type().name().toLowerCase(Locale.ROOT);
        try {
            audit.append(new AuditEvent("dicom.association", event.callingAeTitle(), host(event.remoteAddress()), null,
                    outcome, details));
        } catch (Exception e) {
            LOG.cannotAudit(outcome, event.associationId(), event.callingAeTitle(), e);
        }
    }

    static String host(InetSocketAddress address) {
        if (address == null) return null;
        return address.getAddress() == null ? address.getHostString() : address.getAddress().getHostAddress();
    }
}
