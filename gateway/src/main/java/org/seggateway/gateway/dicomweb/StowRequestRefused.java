package org.seggateway.gateway.dicomweb;

/** A STOW-RS request refused as a whole, before any part is stored: wrong media type (415), no boundary (400). */
public class StowRequestRefused extends Exception {
    private final int httpStatus;

    public StowRequestRefused(int httpStatus, String message) {
        super(message);
        this.httpStatus = httpStatus;
    }

    public int httpStatus() {
        return httpStatus;
    }
}
