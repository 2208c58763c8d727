package org.seggateway.dicomio.net;

import java.nio.file.Path;

/**
 * What happened to one file of a C-STORE: the peer's status, {@link DimseStatus#NOT_NEGOTIATED} when the peer took
 * no presentation context for it, or {@link DimseStatus#NO_RESPONSE} when it was not sent otherwise or its response
 * never came (then {@code error} says why).
 *
 * @param sopInstanceUid from the file's meta information; empty if the file could not be read
 * @param error          the peer's Error Comment, or our reason for a missing response; empty if none
 */
public record StoreOutcome(Path file, String sopInstanceUid, int status, String error) {

    /** Stored by the peer (success or a warning status). */
    public boolean stored() {
        return DimseStatus.isDone(status);
    }

    @Override
    public String toString() {
        return file + " (" + sopInstanceUid + "): " + DimseStatus.toHex(status) + (error.isEmpty() ? "" : " " + error);
    }
}
