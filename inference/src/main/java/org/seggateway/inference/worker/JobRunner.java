package org.seggateway.inference.worker;

import org.seggateway.dicomio.seg.LabelMap;
import org.seggateway.dicomio.volume.Volume;
import org.seggateway.inference.queue.JobHeader;

/** Turns one reassembled job volume into a label map on the same grid. */
@FunctionalInterface
public interface JobRunner {
    LabelMap run(JobHeader job, Volume volume, java.util.Map<String, Double> stageSeconds) throws Exception;
}
