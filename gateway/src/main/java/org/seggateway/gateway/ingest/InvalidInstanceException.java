package org.seggateway.gateway.ingest;

/** A received object the gateway refuses to keep (bad UID, unreadable header, no pixels); nothing of it is stored. */
public class InvalidInstanceException extends RuntimeException {

    /** Why: decides the C-STORE failure status the listener answers with. */
    public enum Problem {
        /** Unreadable data set or an invalid UID (DICOM 0xC000 "cannot understand"). */
        CANNOT_UNDERSTAND,
        /** The data set contradicts the request or its SOP class, e.g. an image without pixel data (0xA900). */
        DOES_NOT_MATCH_SOP_CLASS
    }

    private final Problem problem;

    public InvalidInstanceException(String message) {
        this(Problem.CANNOT_UNDERSTAND, message, null);
    }

    public InvalidInstanceException(String message, Throwable cause) {
        this(Problem.CANNOT_UNDERSTAND, message, cause);
    }

    public InvalidInstanceException(Problem problem, String message, Throwable cause) {
        super(message, cause);
        this.problem = problem;
    }

    public Problem problem() {
        return problem;
    }
}
