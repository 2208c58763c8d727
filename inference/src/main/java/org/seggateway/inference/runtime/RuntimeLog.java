package org.seggateway.inference.runtime;

import java.lang.invoke.MethodHandles;
import org.jboss.logging.BasicLogger;
import org.jboss.logging.Logger;
import org.jboss.logging.annotations.LogMessage;
import org.jboss.logging.annotations.Message;
import org.jboss.logging.annotations.MessageLogger;

/** Log events of the ONNX Runtime sessions (ids 9101-9199 and, for the GPU, 9200-9299; docs/log-events.md). */
@MessageLogger(projectCode = "SEGGW", length = 4)
interface RuntimeLog extends BasicLogger {
    RuntimeLog LOG = Logger.getMessageLogger(MethodHandles.lookup(), RuntimeLog.class, RuntimeLog.class.getPackageName());

    @LogMessage(level = Logger.Level.INFO)
    @Message(id = 9101, value = "model %s: CUDA execution provider not available (%s); running on CPU")
    void cudaUnavailable(String model, String why);

    @LogMessage(level = Logger.Level.INFO)
    @Message(id = 9201, value = "CUDA prepared: %s; %d CUDA/cuDNN libraries loaded, failed: %s")
    void cudaPrepared(String what, int libraries, String failed);

    @LogMessage(level = Logger.Level.INFO)
    @Message(id = 9202, value = "model %s on CUDA device %d (%s): %d windows per network run, provider options %s")
    void cudaSession(String model, int device, String gpu, int windowBatch, Object options);
}
