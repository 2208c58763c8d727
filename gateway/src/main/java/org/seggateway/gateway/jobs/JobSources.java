package org.seggateway.gateway.jobs;

import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.mapper.RowMapper;
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

    private static final RowMapper<SourceFile> ROW = (rs, ctx) -> new SourceFile(rs.getLong("id"), Path.of(rs.getString("spool_path")));

    /** The latest version of each SOP instance of a series, as it is now. */
    public List<SourceFile> latestOf(Handle h, long seriesId) {
        return h.createQuery("""
                        select distinct on (sop_instance_uid) id, spool_path from instances where series_id = :seriesId
                        order by sop_instance_uid, version desc""")
                .bind("seriesId", seriesId)
                .map(ROW)
                .list();
    }


    /** The instances a job recorded when it was queued. */
    public List<SourceFile> byIds(Handle h, List<Long> instanceIds) {
        return h.createQuery("select id, spool_path from instances where id = any(:ids) order by id")
                .bind("ids", instanceIds.toArray(Long[]::new))
                .map(ROW)
                .list();
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
}
