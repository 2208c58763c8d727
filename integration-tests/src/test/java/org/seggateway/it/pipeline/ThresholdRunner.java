package org.seggateway.it.pipeline;

import java.util.Map;
import org.seggateway.dicomio.seg.LabelMap;
import org.seggateway.dicomio.volume.Volume;
import org.seggateway.inference.queue.JobHeader;
import org.seggateway.inference.worker.JobRunner;

/**
 * Stands in for a model: liver (label 1, above 80 HU) and lesion (label 2, above 150 HU) of the synthetic phantom,
 * after an optional delay that keeps the job in the worker's hands long enough to kill it there.
 */
public record ThresholdRunner(long delayMillis) implements JobRunner {
    /** Printed by {@link WorkerMain} when a job reaches the runner: the job is held by that worker from then on. */
    public static final String STARTED = "runner started job ";

    @Override
    public LabelMap run(JobHeader job, Volume volume, Map<String, Double> stageSeconds) throws InterruptedException {
        System.out.println(STARTED + job.jobId());
        System.out.flush();
        if (delayMillis > 0) Thread.sleep(delayMillis);
        long start = System.nanoTime();
        LabelMap labels = labels(volume);
        stageSeconds.put("inference", (System.nanoTime() - start) / 1e9);
        return labels;
    }

    /** The stand-in's label map of a volume: what a worker with this runner answers for it. */
    public static LabelMap labels(Volume volume) {
        byte[] labels = new byte[(int) volume.geometry().voxelCount()];
        for (int i = 0; i < labels.length; i++) {
            double v = volume.value(i);
            labels[i] = (byte) (v > 150 ? 2 : v > 80 ? 1 : 0);
        }
        var g = volume.geometry();
        return new LabelMap(g.width(), g.height(), g.depth(), labels);
    }
}
