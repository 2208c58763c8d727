package org.seggateway.inference.worker;

import org.seggateway.dicomio.seg.LabelMap;
import org.seggateway.dicomio.volume.Volume;
import org.seggateway.inference.queue.ExecutionDevice;
import org.seggateway.inference.queue.JobHeader;

/** Turns one reassembled job volume into a label map on the same grid. */
@FunctionalInterface
public interface JobRunner {
    LabelMap run(JobHeader job, Volume volume, java.util.Map<String, Double> stageSeconds) throws Exception;

    /**
     * The heap a job needs at its peak, from its header alone (see {@link MemoryBudget}); by default its voxel array
     * and a label map of one byte per voxel.
     */
    default long peakBytes(JobHeader job) {
        return job.byteCount() + job.geometry().voxelCount();
    }

    /** Where the job's network will run, for its start record; null when not known. */
    default ExecutionDevice device(JobHeader job) {
        return null;
    }
}
