package org.seggateway.inference.worker;

import java.util.Map;
import org.seggateway.dicomio.seg.LabelMap;
import org.seggateway.dicomio.volume.Volume;
import org.seggateway.inference.MemoryEstimate;
import org.seggateway.inference.SegmentOptions;
import org.seggateway.inference.SegmentationResult;
import org.seggateway.inference.StageTimings;
import org.seggateway.inference.model.ModelManifest;
import org.seggateway.inference.queue.ExecutionDevice;
import org.seggateway.inference.queue.JobHeader;
import org.seggateway.inference.queue.VoxelChunks;
import org.seggateway.inference.window.ProgressListener;

/**
 * Runs a job through the {@link org.seggateway.inference.Segmenter} of the model the job names (name and
 * version, from a {@link ModelCatalog}) and reports the time per stage, in seconds, under the keys
 * {@code preprocess}, {@code gather}, {@code inference}, {@code blending}, {@code slidingWindow},
 * {@code postprocess} and {@code total}.
 */
public final class SegmenterJobRunner implements JobRunner {

    private final ModelCatalog catalog;
    private final SegmentOptions options;

    public SegmenterJobRunner(ModelCatalog catalog, SegmentOptions options) {
        this.catalog = catalog;
        this.options = new SegmentOptions(options.largestComponent(), false); // probabilities never travel
    }

    @Override
    public LabelMap run(JobHeader job, Volume volume, Map<String, Double> stageSeconds) throws Exception {
        SegmentationResult result = catalog.segmenter(job.modelName(), job.modelVersion())
                .segment(volume, options, ProgressListener.NONE);
        stageSeconds.putAll(seconds(result.timings()));
        return result.labels();
    }

    /** {@link MemoryEstimate} of the job's model; the default when the catalog does not hold it (the run then fails). */
    @Override
    public long peakBytes(JobHeader job) {
        ModelManifest manifest;
        try {
            manifest = catalog.modelPackage(job.modelName(), job.modelVersion()).manifest();
        } catch (ModelCatalog.UnknownModelException e) {
            return JobRunner.super.peakBytes(job);
        }
        var g = job.geometry();
        return MemoryEstimate.of(new int[] {g.width(), g.height(), g.depth()}, g.spacing(),
                VoxelChunks.bytesPerVoxel(job.voxelType()), manifest).peakBytes();
    }

    /** From the session of the job's model (opened here on a model's first job, as the run would). */
    @Override
    public ExecutionDevice device(JobHeader job) {
        return Devices.of(catalog.segmenter(job.modelName(), job.modelVersion()).session());
    }

    static Map<String, Double> seconds(StageTimings t) {
        return Map.of("preprocess", t.preprocessNanos() / 1e9, "gather", t.gatherNanos() / 1e9,
                "inference", t.inferenceNanos() / 1e9, "blending", t.blendNanos() / 1e9,
                "slidingWindow", t.slidingWindowNanos() / 1e9, "postprocess", t.postprocessNanos() / 1e9,
                "total", t.totalNanos() / 1e9);
    }
}
