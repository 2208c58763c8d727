package org.seggateway.dicomio.net;

/**
 * Final C-MOVE response: its status and sub-operation counts (instances the peer sent to the destination).
 *
 * @param errorComment the peer's Error Comment; empty if none
 */
public record MoveResult(int status, int completed, int failed, int warning, int remaining, String errorComment) {

    /** Status success and no failed sub-operation. */
    public boolean isSuccess() {
        return status == DimseStatus.SUCCESS && failed == 0;
    }
}
