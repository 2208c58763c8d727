package org.seggateway.gateway.dicomweb;

import java.io.IOException;

/** The request body ended inside a part, before the delimiter that closes it: that part is incomplete. */
public class TruncatedPartException extends IOException {
    public TruncatedPartException(String message) {
        super(message);
    }
}
