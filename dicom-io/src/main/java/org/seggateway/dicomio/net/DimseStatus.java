package org.seggateway.dicomio.net;

import java.util.Locale;

/** DIMSE status codes (PS3.7 annex C) that this package produces or interprets. */
public final class DimseStatus {

    public static final int SUCCESS = 0x0000;
    /** C-STORE warning: coercion of data elements. */
    public static final int WARNING_COERCION = 0xB000;
    /** C-STORE failure: refused, out of resources. */
    public static final int OUT_OF_RESOURCES = 0xA700;
    /** C-STORE failure: data set does not match SOP class. */
    public static final int DATA_SET_DOES_NOT_MATCH_SOP_CLASS = 0xA900;
    /** C-STORE failure: cannot understand. */
    public static final int CANNOT_UNDERSTAND = 0xC000;
    /** C-MOVE failure: move destination unknown. */
    public static final int MOVE_DESTINATION_UNKNOWN = 0xA801;
    public static final int PENDING = 0xFF00;
    public static final int PENDING_WARNING = 0xFF01;
    /** Not a DICOM status: the request never got a response (not sent, or the association was lost). */
    public static final int NO_RESPONSE = -1;
    /** Not a DICOM status: not sent, because the peer accepted no presentation context for its SOP class. */
    public static final int NOT_NEGOTIATED = -2;

    private DimseStatus() {}

    public static boolean isPending(int status) {
        return status == PENDING || status == PENDING_WARNING;
    }

    /** Warning statuses: the operation was performed (0x0001, 0x0107, 0x0116, 0xB000-0xBFFF). */
    public static boolean isWarning(int status) {
        return status == 0x0001 || status == 0x0107 || status == 0x0116 || (status & 0xF000) == 0xB000;
    }

    /** Success or warning: the request was carried out. */
    public static boolean isDone(int status) {
        return status == SUCCESS || isWarning(status);
    }

    public static boolean isFailure(int status) {
        return status >= 0 && !isDone(status) && !isPending(status) && status != 0xFE00;
    }

    public static String toHex(int status) {
        if (status == NOT_NEGOTIATED) return "not negotiated";
        return status == NO_RESPONSE ? "none" : String.format(Locale.ROOT, "0x%04X", status);
    }
}
