package org.seggateway.inference.model;

/** An invalid model package: bad or missing manifest field, missing file, or ONNX model not matching it. */
public class ModelPackageException extends RuntimeException {
    public ModelPackageException(String message) {
        super(message);
    }

    public ModelPackageException(String message, Throwable cause) {
        super(message, cause);
    }
}
