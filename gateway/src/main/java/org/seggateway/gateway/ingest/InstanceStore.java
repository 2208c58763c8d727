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
import java.util.Map;
import javax.sql.DataSource;
import org.jboss.logging.Logger;
import org.seggateway.dicomio.header.DicomHeader;
import org.seggateway.dicomio.net.ReceivedInstance;
import org.seggateway.gateway.audit.AuditEvent;
import org.seggateway.gateway.audit.AuditTrail;
import org.seggateway.gateway.config.GatewayConfig;

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
    private static final Logger LOG = Logger.getLogger(InstanceStore.class);
    private final DataSource dataSource;
    private final Spool spool;
    private final AuditTrail audit;

    InstanceStore(DataSource dataSource, GatewayConfig config, AuditTrail audit) {
        this.dataSource = dataSource;
        this.spool = new Spool(config.spool());
        this.audit = audit;
    }

    public Spool spool() {
        return spool;
    }

    public StoreOutcome store(ReceivedInstance received) throws IOException, SQLException {
        ReceivedHeader read = ReceivedHeader.read(received);
        DicomHeader header = read.header();
        String sop = read.sopUid(), study = read.studyUid(), series = read.seriesUid();
        ReceivedInstanceChecks.check(received, header, sop, series);
        String sopClass = header.string("SOPClassUID");
        String sha256 = DataSetDigest.sha256(received.file());
        long size = Files.size(received.file());

        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            Placed placed = null;
            boolean committing = false;
            try {
                SopLock.acquire(c, sop);
                placed = store(c, received, header, study, series, sop, sha256, size);
                audit.append(c, stored(received, placed.outcome(), study, series, sop, sopClass, size));
                committing = true;
                c.commit();
                if (placed.outcome() == StoreOutcome.DUPLICATE) Files.deleteIfExists(received.file());
                LOG.debugf("%s instance %s of series %s from %s", placed.outcome(), sop, series, received.callingAeTitle());
                return placed.outcome();
            } catch (SQLException | IOException | RuntimeException e) {
                c.rollback();
                // A file placed for a row that was never committed goes; after a failed commit it is left for the
                // orphan sweep, since the commit may have happened.
                if (placed != null && placed.path() != null && !committing) Spool.deleteQuietly(placed.path());
                throw e;
            }
        }
    }

    /** What became of the instance, and the spool file this transaction placed (null: none). */
    private record Placed(StoreOutcome outcome, Path path) {}

    private Placed store(Connection c, ReceivedInstance received, DicomHeader header, String study, String series,
                         String sop, String sha256, long size) throws SQLException, IOException {
        int lastVersion = 0;
        try (PreparedStatement s = c.prepareStatement(
                "select version, sha256 from instances where sop_instance_uid = ? order by version for update")) {
            s.setString(1, sop);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    if (rs.getString(2).equals(sha256)) return new Placed(StoreOutcome.DUPLICATE, null);
                    lastVersion = rs.getInt(1);
                }
            }
        }
        Timestamp now = Timestamp.from(Instant.now());
        long seriesId;
        try (PreparedStatement s = c.prepareStatement("""
                insert into series (series_instance_uid, study_instance_uid, accession_number, patient_id, modality,
                                    body_part_examined, series_description, calling_ae_title, instance_count,
                                    first_received_at, last_received_at)
                values (?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?)
                on conflict (series_instance_uid) do update set
                    instance_count = series.instance_count + 1,
                    last_received_at = excluded.last_received_at,
                    version = case when series.state = 'complete' then series.version + 1 else series.version end,
                    state = 'receiving',
                    completed_at = null
                returning id""")) {
            s.setString(1, series);
            s.setString(2, study);
            s.setString(3, cut(header.string("AccessionNumber"), 16));
            s.setString(4, cut(header.string("PatientID"), 64));
            s.setString(5, cut(header.string("Modality"), 16));
            s.setString(6, cut(header.string("BodyPartExamined"), 64));
            s.setString(7, cut(header.string("SeriesDescription"), 64));
            s.setString(8, cut(received.callingAeTitle(), 16));
            s.setTimestamp(9, now);
            s.setTimestamp(10, now);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                seriesId = rs.getLong(1);
            }
        }
        int version = lastVersion + 1;
        Path target = spool.instancePath(study, series, sop, version);
        InstanceRows.insert(c, seriesId, received, header, sop, version, sha256, size, target, now);
        spool.placeNew(received.file(), target);
        if (version > 1) LOG.infof("instance %s of series %s changed: kept as version %d", sop, series, version);
        return new Placed(version == 1 ? StoreOutcome.STORED : StoreOutcome.NEW_VERSION, target);
    }

    private static AuditEvent stored(ReceivedInstance received, StoreOutcome outcome, String study, String series,
                                     String sop, String sopClass, long size) {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("sopInstanceUid", sop);
        details.put("seriesInstanceUid", series);
        details.put("sopClassUid", sopClass);
        details.put("bytes", size);
        details.put("associationId", received.associationId());
        String address = received.remoteAddress() == null ? null : received.remoteAddress().getAddress().getHostAddress();
        return new AuditEvent("dicom.store", received.callingAeTitle(), address, study,
                outcome.name().toLowerCase(java.util.Locale.ROOT), details);
    }

    static String cut(String value, int max) {
        if (value == null || value.isEmpty()) return null;
        return value.length() > max ? value.substring(0, max) : value;
    }
}
