package org.seggateway.gateway.ingest;

import static org.seggateway.gateway.ingest.IngestLog.LOG;

import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jdbi.v3.core.Handle;
import org.seggateway.dicomio.header.DicomHeader;
import org.seggateway.dicomio.net.ReceivedInstance;
import org.seggateway.gateway.audit.AuditEvent;
import org.seggateway.gateway.audit.AuditTrail;
import org.seggateway.gateway.config.GatewayConfig;
import org.seggateway.gateway.database.Transactions;
import org.seggateway.gateway.logging.LogContext;

/**
 * Makes a received instance durable before the C-STORE response: the file is moved into the spool and
 * fsynced, and its row is committed with its series row and its audit entry. The instance's {@link SopLock} is held from
 * reading its rows to the commit, so concurrent stores of one SOP Instance UID take versions one after the other, and
 * a spool file is never replaced: one that a committed row names stays as it is. Throws
 * {@link InvalidInstanceException} for an instance that must not be kept as is (the listener answers with a failure
 * status), anything else when it cannot store now (the listener aborts the association so that the sender keeps the
 * instance and retries).
 */
@ApplicationScoped
public class InstanceStore {
    private final Transactions transactions;
    private final SeriesRepository seriesRows;
    private final InstanceRepository instances;
    private final Spool spool;
    private final AuditTrail audit;

    InstanceStore(Transactions transactions, SeriesRepository seriesRows, InstanceRepository instances, GatewayConfig config,
                  AuditTrail audit) {
        this.transactions = transactions;
        this.seriesRows = seriesRows;
        this.instances = instances;
        this.spool = new Spool(config.spool());
        this.audit = audit;
    }

    public Spool spool() {
        return spool;
    }

    public StoreOutcome store(ReceivedInstance received) throws IOException, SQLException {
        return store(received, Origin.dimse(received));
    }

    /**
     * Who sent an instance, for its audit row: the calling AE title of a C-STORE, or the API user of a STOW-RS request
     * (whose instance carries, as its calling AE title, the AE title configured for that user).
     */
    public record Origin(String actor, Map<String, Object> details) {
        static Origin dimse(ReceivedInstance received) {
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("associationId", received.associationId());
            return new Origin(received.callingAeTitle(), details);
        }

        public static Origin stowRs(String user, long requestId) {
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("via", "stow-rs");
            details.put("stowRequestId", requestId);
            return new Origin(user, details);
        }
    }

    /** {@link #store(ReceivedInstance)} of an instance whose sender {@code origin} names. */
    public StoreOutcome store(ReceivedInstance received, Origin origin) throws IOException, SQLException {
        ReceivedHeader read = ReceivedHeader.read(received);
        try (LogContext context = LogContext.with(LogContext.SERIES_UID, read.seriesUid())) {
            return store(received, read, origin);
        }
    }

    private StoreOutcome store(ReceivedInstance received, ReceivedHeader read, Origin origin) throws IOException, SQLException {
        DicomHeader header = read.header();
        String sop = read.sopUid(), study = read.studyUid(), series = read.seriesUid();
        ReceivedInstanceChecks.check(received, header, sop, series);
        String sopClass = header.string("SOPClassUID");
        String sha256 = DataSetDigest.sha256(received.file());
        long size = Files.size(received.file());

        Attempt attempt = new Attempt();
        StoreOutcome outcome;
        try {
            outcome = SpoolTransaction.run(transactions, h -> {
                SopLock.acquire(h, sop);
                attempt.placed = store(h, received, header, study, series, sop, sha256, size);
                audit.append(h, stored(received, origin, attempt.placed.outcome(), study, series, sop, sopClass, size));
                attempt.committing = true;
                return attempt.placed.outcome();
            });
        } catch (SQLException | IOException | RuntimeException e) {
            // A file placed for a row that was never committed goes; after a failed commit it is left for the
            // orphan sweep, since the commit may have happened.
            if (attempt.placed != null && attempt.placed.path() != null && !attempt.committing) Spool.deleteQuietly(attempt.placed.path());
            throw e;
        }
        if (outcome == StoreOutcome.DUPLICATE) Files.deleteIfExists(received.file());
        LOG.instanceStored(outcome, sop, series, received.callingAeTitle());
        return outcome;
    }

    /** What became of the instance, and the spool file this transaction placed (null: none). */
    private record Placed(StoreOutcome outcome, Path path) {}

    /** How far one store got: the file it placed, and whether its transaction went on to commit. */
    private static final class Attempt {
        Placed placed;
        boolean committing;
    }

    private Placed store(Handle h, ReceivedInstance received, DicomHeader header, String study, String series,
                         String sop, String sha256, long size) throws IOException {
        int lastVersion = 0;
        for (InstanceRepository.StoredVersion stored : instances.versionsForUpdate(h, sop)) {
            if (stored.sha256().equals(sha256)) return new Placed(StoreOutcome.DUPLICATE, null);
            lastVersion = stored.version();
        }
        Instant now = Instant.now();
        long seriesId = seriesRows.recordInstance(h, series, study, header, received.callingAeTitle(), now);
        int version = lastVersion + 1;
        Path target = spool.instancePath(study, series, sop, version);
        instances.insert(h, seriesId, received, header, sop, version, sha256, size, target, now);
        spool.placeNew(received.file(), target);
        if (version > 1) LOG.instanceChanged(sop, series, version);
        return new Placed(version == 1 ? StoreOutcome.STORED : StoreOutcome.NEW_VERSION, target);
    }

    private static AuditEvent stored(ReceivedInstance received, Origin origin, StoreOutcome outcome, String study,
                                     String series, String sop, String sopClass, long size) {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("sopInstanceUid", sop);
        details.put("seriesInstanceUid", series);
        details.put("sopClassUid", sopClass);
        details.put("bytes", size);
        details.putAll(origin.details());
        if (!origin.actor().equals(received.callingAeTitle())) details.put("callingAeTitle", received.callingAeTitle());
        String address = received.remoteAddress() == null || received.remoteAddress().getAddress() == null ? null
                : received.remoteAddress().getAddress().getHostAddress();
        return new AuditEvent("dicom.store", origin.actor(), address, study,
                outcome.name().toLowerCase(java.util.Locale.ROOT), details);
    }
}
