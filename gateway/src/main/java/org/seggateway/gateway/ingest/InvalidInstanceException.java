package org.seggateway.gateway.ingest;

import java.util.List;

/**
 * A received object the gateway refuses to keep (bad UID, unreadable header, no pixels); nothing of it is stored. The
 * message is for our log; {@link #errorComment()} and {@link #offendingElements()} are what the sender is told.
 */
public class InvalidInstanceException extends RuntimeException {

    /** Why: decides the C-STORE failure status the listener answers with. */
    public enum Problem {
        /** Unreadable data set or an invalid UID (DICOM 0xC000 "cannot understand"). */
        CANNOT_UNDERSTAND("data set cannot be understood"),
        /** The data set contradicts the request or its SOP class, e.g. an image without pixel data (0xA900). */
        DOES_NOT_MATCH_SOP_CLASS("data set does not match its SOP Class");

        private final String errorComment;

        Problem(String errorComment) {
            this.errorComment = errorComment;
        }

        /** The Error Comment of a refusal that names no more specific reason. */
        public String errorComment() {
            return errorComment;
        }
    }

    private final Problem problem;
    private final String errorComment;
    private final List<String> offendingElements;

    public InvalidInstanceException(String message) {
        this(Problem.CANNOT_UNDERSTAND, message, null);
    }

    public InvalidInstanceException(String message, Throwable cause) {
        this(Problem.CANNOT_UNDERSTAND, message, cause);
    }

    public InvalidInstanceException(Problem problem, String message, Throwable cause) {
        this(problem, message, problem.errorComment(), List.of(), cause);
    }

    /**
     * @param errorComment      for the sender: at most 64 characters, no patient data, no received values
     * @param offendingElements DICOM keywords of the attributes at fault
     */
    public InvalidInstanceException(Problem problem, String message, String errorComment, List<String> offendingElements,
                                    Throwable cause) {
        super(message, cause);
        this.problem = problem;
        this.errorComment = errorComment;
        this.offendingElements = List.copyOf(offendingElements);
    }

    public Problem problem() {
        return problem;
    }

    public String errorComment() {
        return errorComment;
    }

    /** Keywords of the attributes at fault (e.g. "SOPClassUID"); empty when the fault is not in one attribute. */
    public List<String> offendingElements() {
        return offendingElements;
    }
}
