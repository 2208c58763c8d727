package org.seggateway.dicomio.net;

/** Thrown by a {@link StorageHandler} to answer the C-STORE with a failure status instead of aborting. */
public class StoreRefusedException extends Exception {

    private final int status;

    /** @param status a C-STORE failure status, e.g. {@link DimseStatus#CANNOT_UNDERSTAND} */
    public StoreRefusedException(int status, String message) {
        super(message);
        if (!DimseStatus.isFailure(status))
            throw new IllegalArgumentException("not a failure status: " + DimseStatus.toHex(status));
        this.status = status;
    }

    public int status() {
        return status;
    }
}
