package org.seggateway.inference.runtime;

import java.util.Locale;

/** Where ONNX Runtime runs the network. {@link #AUTO}: CUDA if it loads, else CPU (with a log line saying so). */
public enum ExecutionProvider {
    CPU, CUDA, AUTO;

    public static ExecutionProvider parse(String s) {
        try {
            return valueOf(s.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("execution provider must be cpu, cuda or auto, got \"" + s + "\"");
        }
    }
}
