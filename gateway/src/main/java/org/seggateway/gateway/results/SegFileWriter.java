package org.seggateway.gateway.results;

import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.seggateway.dicomio.measure.SegmentStatistics;
import org.seggateway.dicomio.seg.MeasurementReportWriter;
import org.seggateway.dicomio.seg.WrittenMeasurementReport;
import org.seggateway.dicomio.seg.LabelMap;
import org.seggateway.dicomio.seg.SegmentDescription;
import org.seggateway.dicomio.seg.SegmentationOptions;
import org.seggateway.dicomio.seg.SegmentationSource;
import org.seggateway.dicomio.seg.SegmentationWriter;
import org.seggateway.dicomio.seg.WrittenSegmentation;
import org.seggateway.dicomio.volume.VolumeLayout;
import org.seggateway.gateway.config.GatewayConfig;
import org.seggateway.gateway.ingest.Spool;
import org.seggateway.gateway.models.ModelInfo;
import org.seggateway.gateway.models.ModelPackageException;
import org.seggateway.gateway.models.ModelPackages;

/**
 * Writes a job's label map as a SEG file, {@code <spool>/results/<job id>.dcm}, fsynced with its folder: built on the
 * files the job's volume came from, its segments described by the model package, series number 900 and the series
 * description "AI model version"; and beside it, where the route asks for one, the measurement report (an Enhanced SR,
 * {@code <job id>.sr.dcm}, series 901).
 */
@ApplicationScoped
public class SegFileWriter {
    private final ModelPackages models;
    private final Path resultsFolder;

    SegFileWriter(ModelPackages models, GatewayConfig config) {
        this.models = models;
        this.resultsFolder = new Spool(config.spool()).root().resolve("results");
    }

    /** The segment descriptions of the job's model package: label, codes, algorithm name and version, colour. */
    public List<SegmentDescription> segments(ResultHandler.PendingResult job) throws ModelPackageException {
        ModelInfo model = models.read(job.modelPackage());
        String name = modelName(job, model), version = modelVersion(job, model);
        return model.segments().stream().map(s -> new SegmentDescription(s.labelValue(),
                s.label(), s.category(), s.type(), name, version, s.rgb(), s.typeModifier())).toList();
    }

    /** Throws IllegalArgumentException for a label map that cannot be a SEG. */
    public WrittenSegmentation write(ResultHandler.PendingResult job, List<SegmentDescription> segments, LabelMap labels)
            throws IOException {
        if (segments.isEmpty())
            throw new IllegalArgumentException("model package " + job.modelPackage() + " describes no segment");
        String name = segments.getFirst().algorithmName(), version = segments.getFirst().algorithmVersion();
        SegmentationOptions options = SegmentationOptions.defaults()
                .withSeries(900, cut("AI " + name + " " + version, 64))
                .withContent("SEGMENTATION", cut(name + " " + version, 64), "");
        Files.createDirectories(resultsFolder);
        Path file = resultsFolder.resolve(job.jobId() + ".dcm");
        WrittenSegmentation seg = new SegmentationWriter(options).write(source(job), labels, segments, file);
        Spool.force(file);
        Spool.force(resultsFolder);
        return seg;
    }

    /**
     * Writes the measurement report of {@code seg}, {@code <spool>/results/<job id>.sr.dcm}, fsynced: series number 901,
     * the series description "AI model version measurements".
     */
    public WrittenMeasurementReport writeReport(ResultHandler.PendingResult job, List<SegmentDescription> segments,
                                                WrittenSegmentation seg, Map<Integer, SegmentStatistics> statistics)
            throws IOException {
        String name = segments.getFirst().algorithmName(), version = segments.getFirst().algorithmVersion();
        SegmentationOptions options = SegmentationOptions.defaults()
                .withSeries(901, cut("AI " + name + " " + version + " measurements", 64));
        Path file = resultsFolder.resolve(job.jobId() + ".sr.dcm");
        WrittenMeasurementReport report = new MeasurementReportWriter(options).write(source(job), seg, segments, statistics, file);
        Spool.force(file);
        Spool.force(resultsFolder);
        return report;
    }

    private static SegmentationSource source(ResultHandler.PendingResult job) {
        VolumeLayout layout = job.layout();
        return new SegmentationSource(layout.geometry(), layout.slices(), layout.header(),
                layout.seriesInstanceUid(), layout.frameOfReferenceUid());
    }

    private static String modelName(ResultHandler.PendingResult job, ModelInfo model) {
        return job.modelName() == null ? model.name() : job.modelName();
    }

    private static String modelVersion(ResultHandler.PendingResult job, ModelInfo model) {
        return job.modelVersion() == null ? model.version() : job.modelVersion();
    }

    private static String cut(String s, int max) {
        return s.length() > max ? s.substring(0, max) : s;
    }
}
