package org.seggateway.gateway.ingest;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import org.seggateway.dicomio.header.DicomHeader;
import org.seggateway.dicomio.net.ReceivedInstance;

/** Writing {@code instances} rows: one per stored version of an instance. */
final class InstanceRows {
    private InstanceRows() {}

    static void insert(Connection c, long seriesId, ReceivedInstance received, DicomHeader header, String sop, int version,
                       String sha256, long size, Path spoolPath, Timestamp receivedAt) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("""
                insert into instances (series_id, sop_instance_uid, sop_class_uid, transfer_syntax_uid, version, sha256,
                                       size_bytes, spool_path, received_at)
                values (?, ?, ?, ?, ?, ?, ?, ?, ?)""")) {
            s.setLong(1, seriesId);
            s.setString(2, sop);
            s.setString(3, header.string("SOPClassUID"));
            s.setString(4, received.transferSyntaxUid() == null ? "" : received.transferSyntaxUid());
            s.setInt(5, version);
            s.setString(6, sha256);
            s.setLong(7, size);
            s.setString(8, spoolPath.toString());
            s.setTimestamp(9, receivedAt);
            s.executeUpdate();
        }
    }
}
