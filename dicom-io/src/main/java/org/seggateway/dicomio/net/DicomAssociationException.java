package org.seggateway.dicomio.net;

import java.io.IOException;

/** An association with a peer could not be opened or failed as a whole; the message names the peer. */
public class DicomAssociationException extends IOException {

    public DicomAssociationException(String message, Throwable cause) {
        super(message, cause);
    }

    public DicomAssociationException(String message) {
        super(message);
    }
}
