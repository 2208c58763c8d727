package org.seggateway.gateway.worklist;

import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.lang.ref.SoftReference;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Array;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.seggateway.dicomio.seg.LabelMap;
import org.seggateway.dicomio.seg.SegmentationReader;
import org.seggateway.dicomio.volume.Volume;
import org.seggateway.dicomio.volume.VolumeException;
import org.seggateway.dicomio.volume.VolumeLimits;
import org.seggateway.dicomio.volume.VolumeReader;
import org.seggateway.gateway.config.GatewayConfig;
import org.seggateway.gateway.database.Transactions;
import org.seggateway.gateway.jobs.JobSources;

/**
 * A series' latest result as pictures are drawn from it: the spooled instances the job ran on (as the job recorded them
 * when queued) read into a volume, and the label map read back from the SEG file in the spool, so a picture shows
 * exactly what was delivered. The files are read with no database connection held. The last one read is kept (softly:
 * the JVM drops it before running out of memory) so that moving a slice slider does not read the series again.
 */
@ApplicationScoped
public class ResultVolumes {
    private final Transactions transactions;
    private final JobSources sources;
    private final VolumeLimits volumeLimits;
    private volatile SoftReference<Loaded> last = new SoftReference<>(null);

    ResultVolumes(Transactions transactions, JobSources sources, GatewayConfig config) {
        this.transactions = transactions;
        this.sources = sources;
        this.volumeLimits = config.volumeLimits().toVolumeLimits();
    }

    /** The source volume, the result's labels on its grid, and whether it is CT. */
    public record Loaded(long resultId, Volume volume, LabelMap labels, boolean ct) {
    }

    private record LatestResult(long id, Path seg, List<Long> instanceIds, String modality) {
    }

    /** Empty when the series has no result; an exception naming the file when the spool no longer holds it. */
    public Optional<Loaded> latest(String studyUid, String seriesUid) throws SQLException, IOException {
        Optional<LatestResult> latest = transactions.withHandle(h -> h.createQuery("""
                        select r.id, r.seg_path, j.source_instance_ids, s.modality from results r join jobs j on j.id = r.job_id
                        join series s on s.id = j.series_id where s.study_instance_uid = :study and s.series_instance_uid = :series
                        order by r.created_at desc, r.id desc limit 1""")
                .bind("study", studyUid).bind("series", seriesUid)
                .map((rs, ctx) -> {
                    Array ids = rs.getArray("source_instance_ids");
                    return new LatestResult(rs.getLong("id"), Path.of(rs.getString("seg_path")),
                            ids == null ? List.of() : Arrays.asList((Long[]) ids.getArray()), rs.getString("modality"));
                })
                .findOne());
        if (latest.isEmpty()) return Optional.empty();
        Loaded kept = last.get();
        if (kept != null && kept.resultId() == latest.get().id()) return Optional.of(kept);
        Path seg = latest.get().seg();
        if (!Files.isRegularFile(seg)) throw new IOException("SEG of series " + seriesUid + " no longer in the spool: " + seg);
        List<JobSources.SourceFile> files = transactions.withHandle(h -> sources.byIds(h, latest.get().instanceIds()));
        Volume volume;
        try {
            volume = VolumeReader.read(JobSources.scan(files, seriesUid), volumeLimits);
        } catch (VolumeException e) {
            throw new IOException("source of series " + seriesUid + " not readable: " + e.getMessage(), e);
        }
        LabelMap labels = SegmentationReader.read(seg, volume.geometry());
        Loaded loaded = new Loaded(latest.get().id(), volume, labels, "CT".equals(latest.get().modality()));
        last = new SoftReference<>(loaded);
        return Optional.of(loaded);
    }
}
