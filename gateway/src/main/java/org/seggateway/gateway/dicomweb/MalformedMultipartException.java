package org.seggateway.gateway.dicomweb;

import java.io.IOException;

/** A request body that is not multipart as its Content-Type says: no delimiter, an unreadable part header block. */
public class MalformedMultipartException extends IOException {
    public MalformedMultipartException(String message) {
        super(message);
    }
}
