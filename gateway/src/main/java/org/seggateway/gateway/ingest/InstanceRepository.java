package org.seggateway.gateway.ingest;

import jakarta.enterprise.context.ApplicationScoped;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.mapper.RowMapper;
import org.seggateway.dicomio.header.DicomHeader;
import org.seggateway.dicomio.net.ReceivedInstance;
import org.seggateway.gateway.audit.AuditTrail;
import org.seggateway.gateway.database.StatementChain;
import org.seggateway.gateway.database.Transactions;

/** Rows of {@code instances}: one per stored version of an instance, naming its spool file. */
@ApplicationScoped
public class InstanceRepository {
    private final Transactions transactions;

    InstanceRepository(Transactions transactions) {
        this.transactions = transactions;
    }

    /** One stored version of an instance. */
    public record StoredVersion(String sopInstanceUid, int version, String sha256, Path spoolPath) {
    }

    /** A spool file of a series, not yet purged. */
    public record SpooledFile(long id, Path path, long sizeBytes) {
    }

    /** An SOP class of a series and the spool file of its first instance. */
    public record SopClassFile(String sopClassUid, Path spoolPath) {
    }

    private static final RowMapper<StoredVersion> VERSION = (rs, ctx) -> new StoredVersion(rs.getString("sop_instance_uid"),
            rs.getInt("version"), rs.getString("sha256"), Path.of(rs.getString("spool_path")));

    /** The versions of the given instances, by instance and version, locked until the transaction ends. */
    List<StoredVersion> versionsForUpdate(Handle h, List<String> sops) {
        return h.createQuery("select sop_instance_uid, version, sha256, spool_path from instances where sop_instance_uid = any(:sops)"
                        + " order by sop_instance_uid, version for update")
                .bind("sops", sops.toArray(String[]::new)).map(VERSION).list();
    }

    /** The versions of the given instances (as {@link #versionsForUpdate}) and, read in the same statement, {@code extra}'s value. */
    record VersionsAnd(List<StoredVersion> versions, String extra) {}

    VersionsAnd versionsForUpdateAnd(Handle h, List<String> sops, String extraSql) {
        // one row per version, and one with no version when there is none, each with the extra value
        List<StoredVersion> versions = new java.util.ArrayList<>();
        String[] extra = new String[1];
        h.createQuery(versionsForUpdateAndSql(extraSql))
                .bind("sops", sops.toArray(String[]::new))
                .map((rs, ctx) -> {
                    extra[0] = rs.getString("extra");
                    if (rs.getString("sop_instance_uid") != null) versions.add(VERSION.map(rs, ctx));
                    return 0;
                }).list();
        return new VersionsAnd(versions, extra[0]);
    }

    /**
     * {@link SopLock#acquireWithAuditChain} and then {@link #versionsForUpdateAnd} with the audit chain's head
     * ({@link AuditTrail#LAST_HASH}) as the extra value, sent together: one round trip. The read is a statement of its
     * own, after the locks are held, so it sees every version committed before it could take them.
     */
    VersionsAnd lockAndReadVersions(Handle h, List<String> sops) {
        String sql = SopLock.LOCK_WITH_AUDIT_CHAIN + ";\n" + versionsForUpdateAndSql(AuditTrail.LAST_HASH);
        return h.createQuery(sql)
                .bind("namespace", SopLock.NAMESPACE).bind("sops", sops.toArray(String[]::new))
                .execute((statement, ctx) -> {
                    PreparedStatement ps = statement.get();
                    if (!ps.getMoreResults()) throw new IllegalStateException("no versions read after the locks");
                    List<StoredVersion> versions = new ArrayList<>();
                    String extra = null;
                    try (ResultSet rs = ps.getResultSet()) {
                        while (rs.next()) {
                            extra = rs.getString("extra");
                            if (rs.getString("sop_instance_uid") != null) versions.add(VERSION.map(rs, ctx));
                        }
                    }
                    return new VersionsAnd(versions, extra);
                });
    }

    private static String versionsForUpdateAndSql(String extraSql) {
        return "select v.sop_instance_uid, v.version, v.sha256, v.spool_path, e.extra from (select " + extraSql + " as extra) e"
                + " left join lateral (select sop_instance_uid, version, sha256, spool_path from instances"
                + " where sop_instance_uid = any(:sops) order by sop_instance_uid, version for update) v on true";
    }

    /** The versions of an instance in order. */
    List<StoredVersion> versions(Handle h, String sop) {
        return h.createQuery("select sop_instance_uid, version, sha256, spool_path from instances where sop_instance_uid = :sop"
                        + " order by version")
                .bind("sop", sop).map(VERSION).list();
    }

    /** The versions of the given instances, and those whose row names one of {@code paths}. */
    List<StoredVersion> versionsOf(Handle h, List<String> sops, List<String> paths) {
        var query = h.createQuery("select sop_instance_uid, version, sha256, spool_path from instances"
                        + " where sop_instance_uid = any(:sops)" + (paths.isEmpty() ? "" : " or spool_path = any(:paths)"))
                .bind("sops", sops.toArray(String[]::new));
        if (!paths.isEmpty()) query.bind("paths", paths.toArray(String[]::new));
        return query.map(VERSION).list();
    }

    void insert(Handle h, long seriesId, ReceivedInstance received, DicomHeader header, String sop, int version, String sha256,
                long size, Path spoolPath, Instant receivedAt) {
        h.createUpdate("""
                        insert into instances (series_id, sop_instance_uid, sop_class_uid, transfer_syntax_uid, version, sha256,
                                               size_bytes, spool_path, received_at)
                        values (:seriesId, :sop, :sopClass, :transferSyntax, :version, :sha256, :size, :spoolPath, :receivedAt)""")
                .bind("seriesId", seriesId).bind("sop", sop).bind("sopClass", header.string("SOPClassUID"))
                .bind("transferSyntax", received.transferSyntaxUid() == null ? "" : received.transferSyntaxUid())
                .bind("version", version).bind("sha256", sha256).bind("size", size).bind("spoolPath", spoolPath.toString())
                .bind("receivedAt", receivedAt)
                .execute();
    }

    /**
     * {@link SeriesRepository#recordInstance} and {@link #insert} in one statement: the instance's series recorded (or
     * reopened) and its row inserted with the series' id.
     */
    void insertRecordingSeries(Handle h, String series, String study, ReceivedInstance received, DicomHeader header, String sop,
                               int version, String sha256, long size, Path spoolPath, Instant receivedAt) {
        h.createUpdate(INSERT_RECORDING_SERIES)
                .bindMap(insertRecordingSeriesValues(series, study, received, header, sop, version, sha256, size, spoolPath, receivedAt))
                .execute();
    }

    /** {@link #insertRecordingSeries} added to {@code chain} (run when the chain runs). */
    void insertRecordingSeries(StatementChain chain, String series, String study, ReceivedInstance received, DicomHeader header,
                               String sop, int version, String sha256, long size, Path spoolPath, Instant receivedAt) {
        chain.add(INSERT_RECORDING_SERIES,
                insertRecordingSeriesValues(series, study, received, header, sop, version, sha256, size, spoolPath, receivedAt));
    }

    private static final String INSERT_RECORDING_SERIES = "with s as (" + SeriesRepository.RECORD_INSTANCE + " returning id)"
            + " insert into instances (series_id, sop_instance_uid, sop_class_uid, transfer_syntax_uid, version, sha256,"
            + " size_bytes, spool_path, received_at)"
            + " select s.id, :sop, :sopClass, :transferSyntax, :version, :sha256, :size, :spoolPath, :receivedAt from s";

    private static Map<String, Object> insertRecordingSeriesValues(String series, String study, ReceivedInstance received,
                                                                   DicomHeader header, String sop, int version, String sha256,
                                                                   long size, Path spoolPath, Instant receivedAt) {
        Map<String, Object> values = SeriesRepository.recordInstanceValues(series, study, header, received.callingAeTitle(), receivedAt);
        values.put("sop", sop);
        values.put("sopClass", header.string("SOPClassUID"));
        values.put("transferSyntax", received.transferSyntaxUid() == null ? "" : received.transferSyntaxUid());
        values.put("version", version);
        values.put("sha256", sha256);
        values.put("size", size);
        values.put("spoolPath", spoolPath.toString());
        values.put("receivedAt", receivedAt);
        return values;
    }

    /** A version whose file is back in the spool. */
    void markRestored(Handle h, String sop, int version) {
        h.createUpdate("update instances set purged_at = null where sop_instance_uid = :sop and version = :version")
                .bind("sop", sop).bind("version", version).execute();
    }

    /** Each SOP class of a series with the spool file of its first instance. */
    public List<SopClassFile> sopClassesOf(long seriesId) {
        return transactions.withHandle(h -> h.createQuery("select distinct on (sop_class_uid) sop_class_uid, spool_path"
                        + " from instances where series_id = :seriesId order by sop_class_uid, id")
                .bind("seriesId", seriesId)
                .map((rs, ctx) -> new SopClassFile(rs.getString("sop_class_uid"), Path.of(rs.getString("spool_path"))))
                .list());
    }

    /** The series' spool files not yet purged. */
    public List<SpooledFile> unpurgedOf(Handle h, long seriesId) {
        return h.createQuery("select id, spool_path, size_bytes from instances where series_id = :seriesId and purged_at is null")
                .bind("seriesId", seriesId)
                .map((rs, ctx) -> new SpooledFile(rs.getLong("id"), Path.of(rs.getString("spool_path")), rs.getLong("size_bytes")))
                .list();
    }

    public void markPurged(Handle h, List<Long> ids) {
        h.createUpdate("update instances set purged_at = clock_timestamp() where id = any(:ids)")
                .bind("ids", ids.toArray(Long[]::new)).execute();
    }
}
