package org.seggateway.gateway.results;

import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.seggateway.dicomio.measure.SegmentStatistics;
import org.seggateway.dicomio.measure.SegmentStatisticsCalculator;
import org.seggateway.dicomio.seg.LabelMap;
import org.seggateway.dicomio.seg.SegmentDescription;
import org.seggateway.dicomio.seg.WrittenMeasurementReport;
import org.seggateway.dicomio.seg.WrittenSegmentation;
import org.seggateway.dicomio.volume.Volume;
import org.seggateway.dicomio.volume.VolumeException;
import org.seggateway.dicomio.volume.VolumeLimits;
import org.seggateway.dicomio.volume.VolumeReader;
import org.seggateway.gateway.config.GatewayConfig;
import org.seggateway.gateway.work.ItemFaults;

/**
 * The measurements of a result: the job's source volume read again from the very files its SEG is built on, the
 * statistics of every described segment on that grid, and the measurement report beside the SEG where the route asks
 * for it. Neither is worth losing the SEG for: a volume that cannot be read, or a report that cannot be written, is
 * logged and the result is stored without it.
 */
@ApplicationScoped
public class ResultMeasurements {
    private static final ResultsLog LOG = ResultsLog.LOG;

    private final SegFileWriter files;
    private final VolumeLimits limits;

    ResultMeasurements(SegFileWriter files, GatewayConfig config) {
        this.files = files;
        this.limits = config.volumeLimits().toVolumeLimits();
    }

    /** What was measured: the measurements (empty when none could be made) and the report, if one was written. */
    public record Measured(List<SegmentMeasurement> segments, Optional<WrittenMeasurementReport> report) {
        static final Measured NONE = new Measured(List.of(), Optional.empty());
    }

    /**
     * The job's source volume with its values, within the volume limits the dispatcher assembled it under; empty
     * (logged) when its files can no longer be read.
     */
    public Optional<Volume> volume(ResultHandler.PendingResult job) {
        try {
            return Optional.of(VolumeReader.read(job.files(), limits));
        } catch (IOException | VolumeException e) {
            LOG.volumeUnreadable(job.jobId(), e.getMessage());
        } catch (RuntimeException | OutOfMemoryError e) {
            if (!ItemFaults.attributableToItem(e)) throw e;
            LOG.volumeUnreadable(job.jobId(), ItemFaults.describe(e));
        }
        return Optional.empty();
    }

    /**
     * The statistics of every described segment on the source volume; empty when there is no volume or they cannot be
     * computed (logged). Needs no SEG: the {@link ResultHandler} computes them while the SEG file is written.
     */
    public Optional<Map<Integer, SegmentStatistics>> statistics(ResultHandler.PendingResult job, Optional<Volume> volume,
                                                                LabelMap labels, List<SegmentDescription> segments) {
        if (volume.isEmpty()) return Optional.empty();
        try {
            Set<Integer> labelValues = segments.stream().map(SegmentDescription::labelValue).collect(Collectors.toCollection(TreeSet::new));
            Set<Integer> split = segments.stream().filter(PairedStructures::splitLeftRight).map(SegmentDescription::labelValue)
                    .collect(Collectors.toSet());
            return Optional.of(SegmentStatisticsCalculator.compute(volume.get(), labels, labelValues, split));
        } catch (RuntimeException | OutOfMemoryError e) {
            if (!ItemFaults.attributableToItem(e)) throw e;
            LOG.measurementsFailed(e, job.jobId(), ItemFaults.describe(e));
            return Optional.empty();
        }
    }

    /** The measurements of {@code seg} from its {@link #statistics}, and its report where the route wants one. */
    public Measured measured(ResultHandler.PendingResult job, Optional<Map<Integer, SegmentStatistics>> computed,
                             List<SegmentDescription> segments, WrittenSegmentation seg, boolean writeReport) {
        if (computed.isEmpty()) return Measured.NONE;
        Map<Integer, SegmentStatistics> statistics = computed.get();
        String modality = job.layout().header().string("Modality").trim();
        List<SegmentMeasurement> measurements = SegmentMeasurement.of(segments, seg.segmentNumbers(), statistics, modality);
        if (!writeReport) return new Measured(measurements, Optional.empty());
        try {
            WrittenMeasurementReport report = files.writeReport(job, segments, seg, statistics);
            LOG.reportWritten(job.jobId(), report.sopInstanceUid(), report.measurementGroups());
            return new Measured(measurements, Optional.of(report));
        } catch (IOException | RuntimeException e) {
            if (e instanceof RuntimeException r && !ItemFaults.attributableToItem(r)) throw r;
            LOG.reportFailed(e, job.jobId(), e.getMessage());
            return new Measured(measurements, Optional.empty());
        }
    }
}
