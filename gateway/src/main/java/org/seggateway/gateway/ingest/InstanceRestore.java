package org.seggateway.gateway.ingest;

import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.sql.DataSource;
import org.seggateway.dicomio.header.DicomHeader;
import org.seggateway.dicomio.net.ReceivedInstance;
import org.seggateway.gateway.audit.AuditEvent;
import org.seggateway.gateway.audit.AuditTrail;
import org.seggateway.gateway.config.GatewayConfig;

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

    private final DataSource dataSource;
    private final Spool spool;
    private final AuditTrail audit;

    InstanceRestore(DataSource dataSource, GatewayConfig config, AuditTrail audit) {
        this.dataSource = dataSource;
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
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            Placed placed = null;
            boolean committing = false;
            try {
                SopLock.acquire(c, sop);
                placed = restore(c, received, header, study, series, sop, sha256, size);
                Map<String, Object> details = new LinkedHashMap<>();
                details.put("sopInstanceUid", sop);
                details.put("seriesInstanceUid", series);
                details.put("bytes", size);
                String address = received.remoteAddress() == null ? null : received.remoteAddress().getAddress().getHostAddress();
                audit.append(c, new AuditEvent("dicom.retrieve", received.callingAeTitle(), address, study,
                        placed.outcome().name().toLowerCase(Locale.ROOT).replace('_', '-'), details));
                committing = true;
                c.commit();
                if (placed.outcome() == Outcome.ALREADY_IN_SPOOL) Files.deleteIfExists(received.file());
                return placed.outcome();
            } catch (SQLException | IOException | RuntimeException e) {
                c.rollback();
                if (placed != null && placed.path() != null && !committing) Spool.deleteQuietly(placed.path());
                throw e;
            }
        }
    }

    /** What became of the instance, and the spool file this transaction placed (null: none). */
    private record Placed(Outcome outcome, Path path) {}

    private Placed restore(Connection c, ReceivedInstance received, DicomHeader header, String study, String series, String sop,
                           String sha256, long size) throws SQLException, IOException {
        long seriesId;
        try (PreparedStatement s = c.prepareStatement("select id from series where series_instance_uid = ?")) {
            s.setString(1, series);
            try (ResultSet rs = s.executeQuery()) {
                if (!rs.next())
                    throw new InvalidInstanceException(InvalidInstanceException.Problem.CANNOT_UNDERSTAND, "series " + series
                            + " was never received by the gateway", "series never received by this gateway",
                            List.of("SeriesInstanceUID"), null);
                seriesId = rs.getLong(1);
            }
        }
        int lastVersion = 0;
        try (PreparedStatement s = c.prepareStatement(
                "select version, sha256, spool_path from instances where sop_instance_uid = ? order by version")) {
            s.setString(1, sop);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    lastVersion = rs.getInt(1);
                    if (rs.getString(2).equals(sha256)) {
                        Path path = Path.of(rs.getString(3));
                        if (Files.exists(path)) return new Placed(Outcome.ALREADY_IN_SPOOL, null);
                        markRestored(c, sop, lastVersion);
                        spool.moveDurably(received.file(), path);
                        return new Placed(Outcome.RESTORED, path);
                    }
                }
            }
        }
        int version = lastVersion + 1;
        Path target = spool.instancePath(study, series, sop, version);
        InstanceRows.insert(c, seriesId, received, header, sop, version, sha256, size, target, Timestamp.from(Instant.now()));
        spool.placeNew(received.file(), target);
        if (version > 1) return new Placed(Outcome.NEW_VERSION, target);
        fillSeries(c, seriesId, header);
        return new Placed(Outcome.ADDED, target);
    }

    /** One more instance; worklist keys the series row lacks (a series recorded before any instance) from this header. */
    private static void fillSeries(Connection c, long seriesId, DicomHeader header) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("""
                update series set instance_count = instance_count + 1,
                    accession_number = coalesce(accession_number, ?), patient_id = coalesce(patient_id, ?),
                    modality = coalesce(modality, ?), body_part_examined = coalesce(body_part_examined, ?),
                    series_description = coalesce(series_description, ?)
                where id = ?""")) {
            s.setString(1, InstanceStore.cut(header.string("AccessionNumber"), 16));
            s.setString(2, InstanceStore.cut(header.string("PatientID"), 64));
            s.setString(3, InstanceStore.cut(header.string("Modality"), 16));
            s.setString(4, InstanceStore.cut(header.string("BodyPartExamined"), 64));
            s.setString(5, InstanceStore.cut(header.string("SeriesDescription"), 64));
            s.setLong(6, seriesId);
            s.executeUpdate();
        }
    }

    private static void markRestored(Connection c, String sop, int version) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(
                "update instances set purged_at = null where sop_instance_uid = ? and version = ?")) {
            s.setString(1, sop);
            s.setInt(2, version);
            s.executeUpdate();
        }
    }
}
