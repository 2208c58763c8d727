package org.seggateway.gateway.ingest;

/** A received object the gateway refuses to keep (bad UID, unreadable header); nothing of it is stored. */
public class InvalidInstanceException extends RuntimeException {
    public InvalidInstanceException(String message) {
        super(message);
    }

    public InvalidInstanceException(String message, Throwable cause) {
        super(message, cause);
    }
}
