package org.seggateway.gateway.jobs;

import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.seggateway.dicomio.volume.DicomFolderScanner;
import org.seggateway.dicomio.volume.FolderScan;
import org.seggateway.dicomio.volume.SeriesFiles;
import org.seggateway.dicomio.volume.VolumeException;

/** The spooled files a job's volume is (or was) assembled from. */
@ApplicationScoped
public class JobSources {

    /** One spooled instance version. */
    public record SourceFile(long instanceId, Path path) {
    }

    /** The latest version of each SOP instance of a series, as it is now. */
    public List<SourceFile> latestOf(Connection c, long seriesId) throws SQLException {
        return query(c, """
                select distinct on (sop_instance_uid) id, spool_path from instances where series_id = ?
                order by sop_instance_uid, version desc""", s -> s.setLong(1, seriesId));
    }

    /** The instances a job recorded when it was queued. */
    public List<SourceFile> byIds(Connection c, List<Long> instanceIds) throws SQLException {
        Array ids = c.createArrayOf("bigint", instanceIds.toArray());
        return query(c, "select id, spool_path from instances where id = any(?) order by id", s -> s.setArray(1, ids));
    }

    /** Scans the files' headers; they must hold exactly the image series {@code seriesUid}. */
    public static SeriesFiles scan(List<SourceFile> files, String seriesUid) throws IOException, VolumeException {
        if (files.isEmpty()) throw new VolumeException(seriesUid, "no spooled instances");
        FolderScan scan = DicomFolderScanner.scanFiles(files.stream().map(SourceFile::path).toList(), "spool of series " + seriesUid);
        List<SeriesFiles> series = scan.series();
        if (series.size() != 1 || !series.getFirst().seriesInstanceUid().equals(seriesUid))
            throw new VolumeException(seriesUid, "the spooled files hold " + series.size() + " image series "
                    + series.stream().map(SeriesFiles::seriesInstanceUid).toList() + (scan.warnings().isEmpty() ? "" : "; " + scan.warnings()));
        return series.getFirst();
    }

    private interface Binder {
        void bind(PreparedStatement s) throws SQLException;
    }

    private static List<SourceFile> query(Connection c, String sql, Binder binder) throws SQLException {
        List<SourceFile> files = new ArrayList<>();
        try (PreparedStatement s = c.prepareStatement(sql)) {
            binder.bind(s);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) files.add(new SourceFile(rs.getLong(1), Path.of(rs.getString(2))));
            }
        }
        return files;
    }
}
