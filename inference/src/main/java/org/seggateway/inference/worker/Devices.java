package org.seggateway.inference.worker;

import org.seggateway.inference.queue.ExecutionDevice;
import org.seggateway.inference.runtime.ExecutionProvider;
import org.seggateway.inference.runtime.GpuDevice;
import org.seggateway.inference.runtime.ModelSession;

/** A session's provider and GPU as the start record carries them. */
final class Devices {
    private Devices() {}

    /** Null for a segmenter without an ONNX session (a network given by a test). */
    static ExecutionDevice of(ModelSession session) {
        if (session == null) return null;
        if (session.provider() != ExecutionProvider.CUDA) return ExecutionDevice.cpu();
        GpuDevice gpu = session.gpu();
        String cuda = Integer.toString(session.cudaMajor()) + (gpu == null ? "" : ", driver " + gpu.driver());
        return new ExecutionDevice("CUDA", gpu == null ? null : gpu.name() + " (" + gpu.index() + ")",
                gpu == null ? null : gpu.totalBytes(), cuda);
    }
}
