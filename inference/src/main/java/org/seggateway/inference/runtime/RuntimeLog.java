package org.seggateway.inference.runtime;

import java.lang.invoke.MethodHandles;
import org.jboss.logging.BasicLogger;
import org.jboss.logging.Logger;
import org.jboss.logging.annotations.LogMessage;
import org.jboss.logging.annotations.Message;
import org.jboss.logging.annotations.MessageLogger;

/** Log events of the ONNX Runtime sessions (ids 9101-9199, docs/log-events.md). */
@MessageLogger(projectCode = "SEGGW", length = 4)
interface RuntimeLog extends BasicLogger {
    RuntimeLog LOG = Logger.getMessageLogger(MethodHandles.lookup(), RuntimeLog.class, RuntimeLog.class.getPackageName());

    @LogMessage(level = Logger.Level.INFO)
    @Message(id = 9101, value = "model %s: CUDA execution provider not available (%s); running on CPU")
    void cudaUnavailable(String model, String why);
}
