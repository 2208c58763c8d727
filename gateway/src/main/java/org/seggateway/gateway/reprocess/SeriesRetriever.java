package org.seggateway.gateway.reprocess;

import static org.seggateway.gateway.reprocess.ReprocessLog.LOG;

import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.seggateway.dicomio.net.AssociationListener;
import org.seggateway.dicomio.net.DicomReceiver;
import org.seggateway.dicomio.net.DicomSender;
import org.seggateway.dicomio.net.DimseStatus;
import org.seggateway.dicomio.net.MoveResult;
import org.seggateway.dicomio.net.QueryLevel;
import org.seggateway.dicomio.net.ReceiverConfig;
import org.seggateway.dicomio.net.StoreRefusedException;
import org.seggateway.gateway.audit.AuditEvent;
import org.seggateway.gateway.audit.AuditTrail;
import org.seggateway.gateway.config.GatewayConfig;
import org.seggateway.gateway.egress.DestinationSenders;
import org.seggateway.gateway.egress.DimsePeer;
import org.seggateway.gateway.ingest.InstanceRestore;
import org.seggateway.gateway.ingest.InvalidInstanceException;
import org.seggateway.gateway.listener.IngestHandler;
import org.seggateway.gateway.listener.ScpSettings;

/**
 * Fetches a series back from the PACS ({@code seg-gateway.reprocess.retrieve-from}) by C-MOVE at series level, to a
 * listener of its own ({@code seg-gateway.reprocess.retrieve.*}) that is open only while a retrieval runs. What
 * arrives goes back into the spool through {@link InstanceRestore}, never through the live listener, so a retrieval
 * starts no live job. One retrieval at a time.
 */
@ApplicationScoped
public class SeriesRetriever {

    private final GatewayConfig config;
    private final DestinationSenders senders;
    private final InstanceRestore restore;
    private final AuditTrail audit;

    SeriesRetriever(GatewayConfig config, InstanceRestore restore, AuditTrail audit, DestinationSenders senders) {
        this.config = config;
        this.senders = senders;
        this.restore = restore;
        this.audit = audit;
    }

    /** What a retrieval brought back. */
    public record Retrieval(String pacs, MoveResult move, Map<InstanceRestore.Outcome, Integer> outcomes) {
        public String describe() {
            return "C-MOVE from " + pacs + ": status " + DimseStatus.toHex(move.status()) + ", " + move.completed() + " completed, "
                    + move.failed() + " failed" + (move.errorComment() == null ? "" : " (" + move.errorComment() + ")");
        }
    }

    public boolean configured() {
        return config.reprocess().retrieveFrom().isPresent();
    }

    /** The PACS retrieved from, as named in the configuration. */
    public String pacsName() {
        return config.reprocess().retrieveFrom().orElseThrow(() -> new IllegalStateException("no seg-gateway.reprocess.retrieve-from"));
    }

    /** A series the PACS holds, as its C-FIND answer describes it. */
    public record PacsSeries(String seriesInstanceUid, String modality, String seriesDescription, String bodyPart, int instances) {
    }

    /** The series of a study the PACS holds (study-root C-FIND at series level). */
    public List<PacsSeries> findSeries(String studyInstanceUid) throws IOException {
        GatewayConfig.Destination pacs = pacs();
        List<PacsSeries> found = new ArrayList<>();
        for (Map<String, String> m : new DicomSender(senders.options(pacsName(), pacs, config.reprocess().retrieve().aeTitle()))
                .find(DimsePeer.of(pacs), QueryLevel.SERIES,
                        Map.of("StudyInstanceUID", studyInstanceUid),
                        List.of("SeriesInstanceUID", "Modality", "SeriesDescription", "BodyPartExamined", "NumberOfSeriesRelatedInstances"))) {
            int instances;
            try {
                instances = Integer.parseInt(m.getOrDefault("NumberOfSeriesRelatedInstances", "0").strip());
            } catch (NumberFormatException e) {
                instances = 0;
            }
            found.add(new PacsSeries(m.get("SeriesInstanceUID"), m.get("Modality"), m.get("SeriesDescription"), m.get("BodyPartExamined"),
                    instances));
        }
        return found;
    }

    private GatewayConfig.Destination pacs() {
        String name = pacsName();
        GatewayConfig.Destination pacs = config.destinations().get(name);
        if (pacs == null)
            throw new IllegalStateException("seg-gateway.reprocess.retrieve-from names '" + name
                    + "', which is not under seg-gateway.destinations");
        return pacs;
    }

    /**
     * Retrieves one series into the spool.
     *
     * @throws IOException when the PACS cannot be reached or the association fails (worth trying again later)
     */
    public synchronized Retrieval retrieve(String studyInstanceUid, String seriesInstanceUid) throws IOException, SQLException {
        String name = pacsName();
        GatewayConfig.Destination pacs = pacs();
        GatewayConfig.Retrieve own = config.reprocess().retrieve();
        ReceiverConfig receiverConfig = retrieveListenerConfig(pacs);
        Map<InstanceRestore.Outcome, Integer> outcomes = new EnumMap<>(InstanceRestore.Outcome.class);
        MoveResult move;
        try (DicomReceiver receiver = DicomReceiver.start(receiverConfig, instance -> {
            try {
                InstanceRestore.Outcome outcome = restore.restore(instance, seriesInstanceUid);
                synchronized (outcomes) {
                    outcomes.merge(outcome, 1, Integer::sum);
                }
            } catch (InvalidInstanceException e) {
                LOG.retrievedInstanceRefused(seriesInstanceUid, instance.callingAeTitle(), e.getMessage());
                throw new StoreRefusedException(IngestHandler.status(e.problem()), e.getMessage(), e.errorComment(),
                        e.offendingElements());
            }
        }, AssociationListener.NONE)) {
            move = new DicomSender(senders.options(name, pacs, own.aeTitle())).move(DimsePeer.of(pacs), own.aeTitle(),
                    QueryLevel.SERIES, Map.of("StudyInstanceUID", studyInstanceUid, "SeriesInstanceUID", seriesInstanceUid));
        } catch (IOException e) {
            auditMove(name, pacs, studyInstanceUid, seriesInstanceUid, "unreachable", Map.of("error", e.getMessage()));
            throw e;
        }
        Retrieval retrieval;
        synchronized (outcomes) {
            retrieval = new Retrieval(name, move, Map.copyOf(outcomes));
        }
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("status", DimseStatus.toHex(move.status()));
        details.put("completed", move.completed());
        details.put("failed", move.failed());
        retrieval.outcomes().forEach((outcome, n) -> details.put(outcome.name().toLowerCase(java.util.Locale.ROOT), n));
        auditMove(name, pacs, studyInstanceUid, seriesInstanceUid, move.isSuccess() ? "success" : "failed", details);
        LOG.seriesRetrieved(seriesInstanceUid, retrieval.describe(), retrieval.outcomes());
        return retrieval;
    }

    /**
     * The retrieve listener: open to the PACS's AE title alone (its C-MOVE sub-operations call from it), with the live
     * listener's bounds ({@code seg-gateway.scp.limits.*}).
     */
    public ReceiverConfig retrieveListenerConfig(GatewayConfig.Destination pacs) {
        GatewayConfig.Retrieve own = config.reprocess().retrieve();
        return ReceiverConfig.defaults(own.aeTitle(), config.spool().resolve("retrieving"))
                .withBindAddress(own.bindAddress()).withPort(own.port())
                .withAllowedCallingAeTitles(java.util.Set.of(DimsePeer.of(pacs).aeTitle()))
                .withMaxPduLength(config.scp().maxPduLength())
                .withLimits(ScpSettings.limits(config.scp().limits(), config.spool()))
                .withTransferSyntaxes(ScpSettings.transferSyntaxes(config.scp()));
    }

    private void auditMove(String name, GatewayConfig.Destination pacs, String study, String series, String outcome,
                           Map<String, ?> more) throws SQLException {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("seriesInstanceUid", series);
        details.put("pacs", name);
        details.put("pacsAeTitle", pacs.aeTitle().orElse(null));
        details.putAll(more);
        audit.append(new AuditEvent("dicom.move", config.reprocess().retrieve().aeTitle(), pacs.host().orElse(null), study, outcome, details));
    }
}
