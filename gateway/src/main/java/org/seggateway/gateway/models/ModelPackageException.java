package org.seggateway.gateway.models;

/** A model package a route names cannot be used: missing folder, unreadable or incomplete model.json. */
public final class ModelPackageException extends Exception {
    public ModelPackageException(String message) {
        super(message);
    }

    public ModelPackageException(String message, Throwable cause) {
        super(message, cause);
    }
}
