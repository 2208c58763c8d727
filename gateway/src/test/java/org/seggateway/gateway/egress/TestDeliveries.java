package org.seggateway.gateway.egress;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.UUID;
import javax.sql.DataSource;
import org.seggateway.dicomio.uid.UidGenerator;

/** Rows for delivery tests: a series, its done job, a result pointing at a SEG file, and one pending delivery. */
final class TestDeliveries {
    private static final UidGenerator UIDS = new UidGenerator();

    private TestDeliveries() {}

    /** Inserts them; the delivery to {@code destination} is due at {@code due}; returns its id. */
    static long insert(DataSource dataSource, String destination, Instant due, Path segFile) throws Exception {
        return insert(dataSource, destination, due, segFile, UIDS.next(), null);
    }

    /** As {@link #insert(DataSource, String, Instant, Path)}, the SEG with this SOP Instance UID and a report when not null. */
    static long insert(DataSource dataSource, String destination, Instant due, Path segFile, String segSopInstanceUid,
                       Path reportFile) throws Exception {
        try (Connection c = dataSource.getConnection()) {
            Timestamp now = Timestamp.from(Instant.now());
            long seriesId;
            try (PreparedStatement s = c.prepareStatement("""
                    insert into series (series_instance_uid, study_instance_uid, calling_ae_title, instance_count, state,
                                        first_received_at, last_received_at)
                    values (?, ?, 'CT01', 1, 'complete', ?, ?) returning id""")) {
                s.setString(1, UIDS.next());
                s.setString(2, UIDS.next());
                s.setTimestamp(3, now);
                s.setTimestamp(4, now);
                try (ResultSet rs = s.executeQuery()) {
                    rs.next();
                    seriesId = rs.getLong(1);
                }
            }
            UUID job = UUID.randomUUID();
            try (PreparedStatement s = c.prepareStatement("""
                    insert into jobs (id, series_id, series_version, state, created_at, updated_at)
                    values (?, ?, 1, 'done', ?, ?)""")) {
                s.setObject(1, job);
                s.setLong(2, seriesId);
                s.setTimestamp(3, now);
                s.setTimestamp(4, now);
                s.executeUpdate();
            }
            long resultId;
            try (PreparedStatement s = c.prepareStatement("""
                    insert into results (job_id, version, seg_sop_instance_uid, seg_series_instance_uid, seg_path,
                                         frame_count, segment_count, created_at, sr_path)
                    values (?, 1, ?, ?, ?, 1, 1, ?, ?) returning id""")) {
                s.setObject(1, job);
                s.setString(2, segSopInstanceUid);
                s.setString(3, UIDS.next());
                s.setString(4, segFile.toString());
                s.setTimestamp(5, now);
                s.setString(6, reportFile == null ? null : reportFile.toString());
                try (ResultSet rs = s.executeQuery()) {
                    rs.next();
                    resultId = rs.getLong(1);
                }
            }
            try (PreparedStatement s = c.prepareStatement(
                    "insert into deliveries (result_id, destination, next_attempt_at) values (?, ?, ?) returning id")) {
                s.setLong(1, resultId);
                s.setString(2, destination);
                s.setTimestamp(3, Timestamp.from(due));
                try (ResultSet rs = s.executeQuery()) {
                    rs.next();
                    return rs.getLong(1);
                }
            }
        }
    }
}
