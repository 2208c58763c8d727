package org.seggateway.gateway.worklist;

import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;
import org.seggateway.dicomio.seg.LabelMap;
import org.seggateway.dicomio.seg.SegmentationReader;
import org.seggateway.dicomio.volume.Volume;
import org.seggateway.dicomio.volume.VolumeException;
import org.seggateway.dicomio.volume.VolumeLimits;
import org.seggateway.dicomio.volume.VolumeReader;
import org.seggateway.gateway.config.GatewayConfig;
import org.seggateway.gateway.jobs.JobSources;

/**
 * The PNG thumbnail of a series' latest result: the spooled instances the job ran on (as the job recorded them
 * when queued) read into a volume, and the label map read back from the SEG file in the spool, so the picture
 * shows exactly what was delivered.
 */
@ApplicationScoped
public class SeriesThumbnails {
    private final DataSource dataSource;
    private final JobSources sources;
    private final VolumeLimits volumeLimits;

    SeriesThumbnails(DataSource dataSource, JobSources sources, GatewayConfig config) {
        this.dataSource = dataSource;
        this.sources = sources;
        this.volumeLimits = config.volumeLimits().toVolumeLimits();
    }

    /** Empty when the series has no result; an exception naming the file when the spool no longer holds it. */
    public Optional<byte[]> png(String studyUid, String seriesUid) throws SQLException, IOException {
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement("""
                select r.seg_path, j.source_instance_ids, s.modality from results r join jobs j on j.id = r.job_id
                join series s on s.id = j.series_id where s.study_instance_uid = ? and s.series_instance_uid = ?
                order by r.created_at desc, r.id desc limit 1""")) {
            s.setString(1, studyUid);
            s.setString(2, seriesUid);
            Path seg;
            List<Long> instanceIds;
            String modality;
            try (ResultSet rs = s.executeQuery()) {
                if (!rs.next()) return Optional.empty();
                seg = Path.of(rs.getString(1));
                Array ids = rs.getArray(2);
                instanceIds = ids == null ? List.of() : Arrays.asList((Long[]) ids.getArray());
                modality = rs.getString(3);
            }
            if (!Files.isRegularFile(seg)) throw new IOException("SEG of series " + seriesUid + " no longer in the spool: " + seg);
            Volume volume;
            try {
                volume = VolumeReader.read(JobSources.scan(sources.byIds(c, instanceIds), seriesUid), volumeLimits);
            } catch (VolumeException e) {
                throw new IOException("source of series " + seriesUid + " not readable: " + e.getMessage(), e);
            }
            LabelMap labels = SegmentationReader.read(seg, volume.geometry());
            return Optional.of(ThumbnailRenderer.png(ThumbnailRenderer.render(volume, labels, "CT".equals(modality))));
        }
    }
}
