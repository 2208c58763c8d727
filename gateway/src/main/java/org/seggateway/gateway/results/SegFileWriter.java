package org.seggateway.gateway.results;

import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
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
 * description "AI model version".
 */
@ApplicationScoped
public class SegFileWriter {
    private final ModelPackages models;
    private final Path resultsFolder;

    SegFileWriter(ModelPackages models, GatewayConfig config) {
        this.models = models;
        this.resultsFolder = new Spool(config.spool()).root().resolve("results");
    }

    /** Throws {@link ModelPackageException} when the model package is unreadable, IllegalArgumentException for a label map that cannot be a SEG. */
    public WrittenSegmentation write(ResultHandler.PendingResult job, LabelMap labels) throws ModelPackageException, IOException {
        ModelInfo model = models.read(job.modelPackage());
        String name = job.modelName() == null ? model.name() : job.modelName();
        String version = job.modelVersion() == null ? model.version() : job.modelVersion();
        List<SegmentDescription> segments = model.segments().stream().map(s -> new SegmentDescription(s.labelValue(),
                s.label(), s.category(), s.type(), name, version, s.rgb(), s.typeModifier())).toList();
        VolumeLayout layout = job.layout();
        SegmentationSource source = new SegmentationSource(layout.geometry(), layout.slices(), layout.header(),
                layout.seriesInstanceUid(), layout.frameOfReferenceUid());
        SegmentationOptions options = SegmentationOptions.defaults()
                .withSeries(900, cut("AI " + name + " " + version, 64))
                .withContent("SEGMENTATION", cut(name + " " + version, 64), "");
        Files.createDirectories(resultsFolder);
        Path file = resultsFolder.resolve(job.jobId() + ".dcm");
        WrittenSegmentation seg = new SegmentationWriter(options).write(source, labels, segments, file);
        Spool.force(file);
        Spool.force(resultsFolder);
        return seg;
    }

    private static String cut(String s, int max) {
        return s.length() > max ? s.substring(0, max) : s;
    }
}
