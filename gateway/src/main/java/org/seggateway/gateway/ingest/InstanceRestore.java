package org.seggateway.gateway.ingest;

import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jdbi.v3.core.Handle;
import org.seggateway.dicomio.header.DicomHeader;
import org.seggateway.dicomio.net.ReceivedInstance;
import org.seggateway.gateway.audit.AuditEvent;
import org.seggateway.gateway.audit.AuditTrail;
import org.seggateway.gateway.config.GatewayConfig;
import org.seggateway.gateway.database.Transactions;

/**
 * Puts an instance retrieved from the PACS into the spool of its series (a row that exists: received before, or
 * recorded by a reprocessing batch), without reopening the series (a retrieval is not new data from a modality and
 * must not start a live job). The same data set as a recorded version goes back to that version's spool path; other
 * bytes (the PACS changed the instance) become a new version, an instance the gateway never had is added, filling the
 * series' worklist keys it lacks. Each one is audited ({@code dicom.retrieve}). Checked like a live C-STORE (request
 * UIDs, pixel data) before anything is kept. Like {@link InstanceStore}, it holds the instance's {@link SopLock} from
 * reading its rows to the commit and never replaces a spool file.
 */
@ApplicationScoped
public class InstanceRestore {
    /** What became of one retrieved instance. */
    public enum Outcome { RESTORED, ALREADY_IN_SPOOL, NEW_VERSION, ADDED }

    private final Transactions transactions;
    private final SeriesRepository seriesRows;
    private final InstanceRepository instances;
    private final Spool spool;
    private final AuditTrail audit;

    InstanceRestore(Transactions transactions, SeriesRepository seriesRows, InstanceRepository instances, GatewayConfig config,
                    AuditTrail audit) {
        this.transactions = transactions;
        this.seriesRows = seriesRows;
        this.instances = instances;
        this.spool = new Spool(config.spool());
        this.audit = audit;
    }

    /**
     * @param seriesInstanceUid the series being retrieved; an instance of any other series is refused
     * @throws InvalidInstanceException for an instance that does not belong here or cannot be read
     */
    public Outcome restore(ReceivedInstance received, String seriesInstanceUid) throws IOException, SQLException {
        ReceivedHeader read = ReceivedHeader.read(received);
        DicomHeader header = read.header();
        String sop = read.sopUid(), study = read.studyUid(), series = read.seriesUid();
        if (!series.equals(seriesInstanceUid))
            throw new InvalidInstanceException(InvalidInstanceException.Problem.CANNOT_UNDERSTAND, "instance " + sop + " of series "
                    + series + " arrived while retrieving series " + seriesInstanceUid, "not of the series being retrieved",
                    List.of("SeriesInstanceUID"), null);
        ReceivedInstanceChecks.check(received, header, sop, series);
        String sha256 = DataSetDigest.sha256(received.file());
        long size = Files.size(received.file());
        Attempt attempt = new Attempt();
        Outcome outcome;
        try {
            outcome = SpoolTransaction.run(transactions, h -> {
                SopLock.acquire(h, sop);
                attempt.placed = restore(h, received, header, study, series, sop, sha256, size);
                Map<String, Object> details = new LinkedHashMap<>();
                details.put("sopInstanceUid", sop);
                details.put("seriesInstanceUid", series);
                details.put("bytes", size);
                String address = received.remoteAddress() == null ? null : received.remoteAddress().getAddress().getHostAddress();
                audit.append(h, new AuditEvent("dicom.retrieve", received.callingAeTitle(), address, study,
                        attempt.placed.outcome().name().toLowerCase(Locale.ROOT).replace('_', '-'), details));
                attempt.committing = true;
                return attempt.placed.outcome();
            });
        } catch (SQLException | IOException | RuntimeException e) {
            if (attempt.placed != null && attempt.placed.path() != null && !attempt.committing) Spool.deleteQuietly(attempt.placed.path());
            throw e;
        }
        if (outcome == Outcome.ALREADY_IN_SPOOL) Files.deleteIfExists(received.file());
        return outcome;
    }

    /** What became of the instance, and the spool file this transaction placed (null: none). */
    private record Placed(Outcome outcome, Path path) {}

    /** How far one restore got: the file it placed, and whether its transaction went on to commit. */
    private static final class Attempt {
        Placed placed;
        boolean committing;
    }

    private Placed restore(Handle h, ReceivedInstance received, DicomHeader header, String study, String series, String sop,
                           String sha256, long size) throws IOException {
        long seriesId = seriesRows.idOf(h, series)
                .orElseThrow(() -> new InvalidInstanceException(InvalidInstanceException.Problem.CANNOT_UNDERSTAND, "series "
                        + series + " was never received by the gateway", "series never received by this gateway",
                        List.of("SeriesInstanceUID"), null));
        int lastVersion = 0;
        for (InstanceRepository.StoredVersion stored : instances.versions(h, sop)) {
            lastVersion = stored.version();
            if (stored.sha256().equals(sha256)) {
                Path path = stored.spoolPath();
                if (Files.exists(path)) return new Placed(Outcome.ALREADY_IN_SPOOL, null);
                instances.markRestored(h, sop, lastVersion);
                spool.moveDurably(received.file(), path);
                return new Placed(Outcome.RESTORED, path);
            }
        }
        int version = lastVersion + 1;
        Path target = spool.instancePath(study, series, sop, version);
        instances.insert(h, seriesId, received, header, sop, version, sha256, size, target, Instant.now());
        spool.placeNew(received.file(), target);
        if (version > 1) return new Placed(Outcome.NEW_VERSION, target);
        seriesRows.addRetrievedInstance(h, seriesId, header);
        return new Placed(Outcome.ADDED, target);
    }
}
