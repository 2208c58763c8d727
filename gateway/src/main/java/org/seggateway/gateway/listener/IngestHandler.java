package org.seggateway.gateway.listener;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.file.Files;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.seggateway.dicomio.net.DimseStatus;
import org.seggateway.dicomio.net.ReceivedInstance;
import org.seggateway.dicomio.net.StorageHandler;
import org.seggateway.dicomio.net.StoreRefusedException;
import org.seggateway.gateway.audit.AuditEvent;
import org.seggateway.gateway.audit.AuditTrail;
import org.seggateway.gateway.ingest.InstanceStore;
import org.seggateway.gateway.ingest.InvalidInstanceException;
import org.seggateway.gateway.ingest.StoreOutcome;
import org.seggateway.gateway.logging.LogContext;

/**
 * What the DICOM listener does with each C-STORE: {@link InstanceStore#store} makes it durable before the Success
 * response. An instance the store refuses gets a failure status (0xA900 when the data set contradicts its SOP class,
 * e.g. no pixel data; 0xC000 when it cannot be understood, e.g. an invalid UID), with the reason in Error Comment and
 * the attribute at fault in Offending Element, and is audited; any other exception
 * (disk, database) propagates, so the association is aborted and the sender keeps the instance to retry.
 */
@ApplicationScoped
public class IngestHandler implements StorageHandler {
    private static final ListenerLog LOG = ListenerLog.LOG;

    private final InstanceStore store;
    private final AuditTrail audit;
    private final MeterRegistry registry;
    private final Counter bytesReceived;

    IngestHandler(InstanceStore store, AuditTrail audit, MeterRegistry registry) {
        this.store = store;
        this.audit = audit;
        this.registry = registry;
        this.bytesReceived = Counter.builder("seggateway.received.bytes").baseUnit("bytes")
                .description("Bytes of instances received by C-STORE (Part 10 files as written)").register(registry);
    }

    @Override
    public void store(ReceivedInstance instance) throws Exception {
        try (LogContext association = LogContext.with(LogContext.ASSOCIATION_ID, String.valueOf(instance.associationId()))) {
            ingest(instance);
        }
    }

    private void ingest(ReceivedInstance instance) throws Exception {
        long size = Files.size(instance.file());
        bytesReceived.increment(size);
        try {
            StoreOutcome outcome = store.store(instance);
            count(outcome.name());
        } catch (InvalidInstanceException e) {
            count("refused");
            int status = status(e.problem());
            LOG.refused(instance.callingAeTitle(), DimseStatus.toHex(status), e.getMessage());
            auditRefusal(instance, status, e.getMessage());
            throw new StoreRefusedException(status, e.getMessage(), e.errorComment(), e.offendingElements());
        } catch (Exception e) {
            LOG.cannotStore(instance.callingAeTitle(), e);
            throw e;
        }
    }

    /** The C-STORE failure status of an instance refused for {@code problem} (by either listener). */
    public static int status(InvalidInstanceException.Problem problem) {
        return switch (problem) {
            case DOES_NOT_MATCH_SOP_CLASS -> DimseStatus.DATA_SET_DOES_NOT_MATCH_SOP_CLASS;
            case CANNOT_UNDERSTAND -> DimseStatus.CANNOT_UNDERSTAND;
        };
    }

    private void count(String outcome) {
        Counter.builder("seggateway.instances.received").description("Instances received by C-STORE, by outcome")
                .tag("outcome", outcome.toLowerCase(java.util.Locale.ROOT)).register(registry).increment();
    }

    private void auditRefusal(ReceivedInstance instance, int status, String reason) throws SQLException {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("status", DimseStatus.toHex(status));
        details.put("reason", reason);
        details.put("associationId", instance.associationId());
        audit.append(new AuditEvent("dicom.store", instance.callingAeTitle(), AssociationAuditor.host(instance.remoteAddress()),
                null, "refused", details));
    }
}
